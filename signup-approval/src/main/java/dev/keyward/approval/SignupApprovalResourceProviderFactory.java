package dev.keyward.approval;

import dev.keyward.common.NoLifecycleFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

/** Registers the admin endpoint as {@value #ID}. */
public class SignupApprovalResourceProviderFactory
        implements AdminRealmResourceProviderFactory, NoLifecycleFactory<AdminRealmResourceProvider> {
    public static final String ID = "keyward-approvals";
    private static final SignupApprovalResourceProvider PROVIDER = new SignupApprovalResourceProvider();

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return PROVIDER;
    }

    @Override
    public String getId() {
        return ID;
    }
}
