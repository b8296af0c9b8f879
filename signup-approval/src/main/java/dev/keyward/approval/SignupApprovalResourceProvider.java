package dev.keyward.approval;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Serves {@link SignupApprovalResource} under {@code /admin/realms/{realm}/keyward-approvals}. */
public class SignupApprovalResourceProvider implements AdminRealmResourceProvider {
    @Override
    public Object getResource(
            KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return new SignupApprovalResource(session, realm, auth, adminEvent);
    }

    @Override
    public void close() {}
}
