package dev.keyward.vault;

import org.keycloak.provider.ProviderFactory;

/** Factory type of the {@code keyward-definition-check} SPI. */
public interface ProviderDefinitionCheckFactory extends ProviderFactory<ProviderDefinitionCheck> {}
