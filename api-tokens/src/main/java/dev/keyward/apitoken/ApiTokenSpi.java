package dev.keyward.apitoken;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * SPI {@code keyward-api-tokens}: the token store. A custom SPI so its options follow Keycloak's
 * scheme ({@code --spi-keyward-api-tokens--default--keys}).
 */
public class ApiTokenSpi implements Spi {

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return ApiTokenConstants.SPI;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return ApiTokenStore.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return ApiTokenStoreFactory.class;
    }
}
