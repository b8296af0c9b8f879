package dev.keyward.apitoken;

import dev.keyward.common.NoLifecycleFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

/** Registers the admin endpoint as {@code keyward-api-tokens}. */
public class ApiTokenAdminResourceProviderFactory
        implements AdminRealmResourceProviderFactory, NoLifecycleFactory<AdminRealmResourceProvider> {
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
}
