package dev.keyward.opaque.authenticator;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Serves {@link MigrationStatusResource} (and, under it, {@link KeyRotationResource}) under
 * {@code /admin/realms/{realm}/keyward-opaque}.
 */
public class MigrationAdminResourceProvider implements AdminRealmResourceProvider {
    @Override
    public Object getResource(
            KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return new MigrationStatusResource(session, realm, auth, adminEvent);
    }

    @Override
    public void close() {}
}
