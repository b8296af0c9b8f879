package dev.keyward.opaque.authenticator;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

/** Registers the migration admin endpoint as {@code keyward-opaque}. */
public class MigrationAdminResourceProviderFactory implements AdminRealmResourceProviderFactory {
    private static final MigrationAdminResourceProvider PROVIDER = new MigrationAdminResourceProvider();

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return PROVIDER;
    }

    @Override
    public String getId() {
        return OpaqueConstants.ADMIN_RESOURCE_ID;
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
