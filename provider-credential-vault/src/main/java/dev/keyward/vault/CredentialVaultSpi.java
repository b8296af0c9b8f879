package dev.keyward.vault;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * SPI {@code keyward-vault}: the encrypted credential store. A custom SPI so its options follow
 * Keycloak's option scheme ({@code --spi-keyward-vault--default--keys}) and other modules reach it
 * with {@code session.getProvider(CredentialVaultProvider.class)}.
 */
public class CredentialVaultSpi implements Spi {

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return VaultConstants.SPI;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return CredentialVaultProvider.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return CredentialVaultProviderFactory.class;
    }
}
