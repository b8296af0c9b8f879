package dev.keyward.apitoken;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

/** Registers the admin endpoint as {@code keyward-api-tokens}. */
public class ApiTokenAdminResourceProviderFactory implements AdminRealmResourceProviderFactory {
    static final String ID = "keyward-api-tokens";
    private static final ApiTokenAdminResourceProvider PROVIDER = new ApiTokenAdminResourceProvider();

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
