package dev.keyward.apitoken;

import org.keycloak.provider.ProviderFactory;

/** Factory of {@link ApiTokenStore}. */
public interface ApiTokenStoreFactory extends ProviderFactory<ApiTokenStore> {}
