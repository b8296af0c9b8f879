package dev.keyward.vault;

import dev.keyward.common.NoLifecycleFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

/** Registers the admin endpoint as {@code keyward-vault}. */
public class VaultAdminResourceProviderFactory
        implements AdminRealmResourceProviderFactory, NoLifecycleFactory<AdminRealmResourceProvider> {
    private static final VaultAdminResourceProvider PROVIDER = new VaultAdminResourceProvider();

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return PROVIDER;
    }

    @Override
    public String getId() {
        return VaultConstants.RESOURCE_ID;
    }
}
