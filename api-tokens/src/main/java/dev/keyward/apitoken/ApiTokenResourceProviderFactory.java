package dev.keyward.apitoken;

import dev.keyward.common.NoLifecycleFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Registers the user endpoint as {@code api-tokens}. */
public class ApiTokenResourceProviderFactory
        implements RealmResourceProviderFactory, NoLifecycleFactory<RealmResourceProvider> {
    static final String ID = "api-tokens";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new ApiTokenResourceProvider(session);
    }

    @Override
    public String getId() {
        return ID;
    }
}
