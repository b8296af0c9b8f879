package dev.keyward.opaque.authenticator;

import org.keycloak.provider.ProviderFactory;

/** Factory type of the {@link OpaqueKeysSpi}. */
public interface OpaqueKeysProviderFactory extends ProviderFactory<OpaqueKeysProvider> {}
