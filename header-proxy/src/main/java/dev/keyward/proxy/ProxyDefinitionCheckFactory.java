package dev.keyward.proxy;

import dev.keyward.vault.InvalidInputException;
import dev.keyward.vault.ProviderDefinitionCheck;
import dev.keyward.vault.ProviderDefinitionCheckFactory;
import java.util.Optional;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.services.resource.RealmResourceProvider;

/**
 * The header proxy's rule for the vault's admin API (SPI {@code keyward-definition-check}): a
 * definition that asks for more private network or metadata headers than the operator allows is
 * refused when saved (400), naming the range or header. The options stay the proxy's own
 * ({@code --spi-realm-restapi-extension--header-proxy--...}); with the proxy's endpoint switched
 * off, nothing is allowed.
 */
public class ProxyDefinitionCheckFactory implements ProviderDefinitionCheckFactory {

    @Override
    public ProviderDefinitionCheck create(KeycloakSession session) {
        ProviderFactory<RealmResourceProvider> proxy = session.getKeycloakSessionFactory()
                .getProviderFactory(RealmResourceProvider.class, HeaderProxyResourceProviderFactory.ID);
        OperatorAllowance allowance =
                proxy instanceof HeaderProxyResourceProviderFactory f ? f.allowance() : OperatorAllowance.NONE;
        return definition -> {
            Optional<String> excess = allowance.excess(definition);
            if (excess.isPresent()) {
                throw new InvalidInputException(excess.get());
            }
        };
    }

    @Override
    public String getId() {
        return HeaderProxyResourceProviderFactory.ID;
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
