package dev.keyward.opaque.authenticator;

import dev.keyward.common.NoLifecycleFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

/** Registers the migration admin endpoint as {@code keyward-opaque}. */
public class MigrationAdminResourceProviderFactory
        implements AdminRealmResourceProviderFactory, NoLifecycleFactory<AdminRealmResourceProvider> {
    private static final MigrationAdminResourceProvider PROVIDER = new MigrationAdminResourceProvider();

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return PROVIDER;
    }

    @Override
    public String getId() {
        return OpaqueConstants.ADMIN_RESOURCE_ID;
    }
}
