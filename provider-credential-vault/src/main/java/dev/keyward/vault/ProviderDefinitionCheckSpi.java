package dev.keyward.vault;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * SPI {@code keyward-definition-check}: every provider of it sees a provider definition before the
 * admin API saves it ({@code session.getAllProviders(ProviderDefinitionCheck.class)}).
 */
public class ProviderDefinitionCheckSpi implements Spi {

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return VaultConstants.DEFINITION_CHECK_SPI;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return ProviderDefinitionCheck.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return ProviderDefinitionCheckFactory.class;
    }
}
