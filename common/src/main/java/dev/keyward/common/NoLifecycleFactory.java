package dev.keyward.common;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;

/**
 * For a factory with nothing to set up or release: Keycloak calls {@code init}, {@code postInit}
 * and {@code close} on every factory, and the pack's endpoints and steps keep nothing between
 * requests but constants. Implemented next to the factory's own SPI interface, for example
 * {@code implements RealmResourceProviderFactory, NoLifecycleFactory<RealmResourceProvider>}.
 */
public interface NoLifecycleFactory<T extends Provider> extends ProviderFactory<T> {

    @Override
    default void init(Config.Scope config) {}

    @Override
    default void postInit(KeycloakSessionFactory factory) {}

    @Override
    default void close() {}
}
