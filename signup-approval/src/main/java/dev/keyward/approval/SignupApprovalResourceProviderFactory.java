package dev.keyward.approval;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

/** Registers the admin endpoint as {@value #ID}. */
public class SignupApprovalResourceProviderFactory implements AdminRealmResourceProviderFactory {
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

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
