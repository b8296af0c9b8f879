package dev.keyward.apitoken;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Registers the user endpoint as {@code api-tokens}. */
public class ApiTokenResourceProviderFactory implements RealmResourceProviderFactory {
    static final String ID = "api-tokens";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new ApiTokenResourceProvider(session);
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
