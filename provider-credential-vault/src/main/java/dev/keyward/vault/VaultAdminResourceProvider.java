package dev.keyward.vault;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Serves {@link VaultAdminResource} under {@code /admin/realms/{realm}/keyward-vault}. */
public class VaultAdminResourceProvider implements AdminRealmResourceProvider {
    @Override
    public Object getResource(
            KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return new VaultAdminResource(session, realm, auth, adminEvent);
    }

    @Override
    public void close() {}
}
