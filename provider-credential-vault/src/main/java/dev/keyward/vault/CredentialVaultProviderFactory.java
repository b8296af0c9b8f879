package dev.keyward.vault;

import org.keycloak.provider.ProviderFactory;

/** Factory type of the {@code keyward-vault} SPI. */
public interface CredentialVaultProviderFactory extends ProviderFactory<CredentialVaultProvider> {}
