package dev.keyward.opaque.authenticator;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * SPI {@code keyward-opaque-keys}: where the login authenticator and the registration action get
 * their OPAQUE server (per realm) and the client parameters (suite, KSF). A custom SPI so its
 * options follow Keycloak's SPI option scheme
 * ({@code --spi-keyward-opaque-keys--default--setup-secret}) and another module can look it up with
 * {@code session.getProvider(OpaqueKeysProvider.class)}.
 */
public class OpaqueKeysSpi implements Spi {

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return OpaqueConstants.KEYS_SPI;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return OpaqueKeysProvider.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return OpaqueKeysProviderFactory.class;
    }
}
