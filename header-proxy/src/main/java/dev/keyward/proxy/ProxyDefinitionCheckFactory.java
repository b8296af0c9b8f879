package dev.keyward.proxy;

import dev.keyward.vault.InvalidInputException;
import dev.keyward.vault.ProviderDefinition;
import dev.keyward.vault.ProviderDefinitionCheck;
import dev.keyward.vault.ProviderDefinitionCheckFactory;
import java.util.Optional;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.services.resource.RealmResourceProvider;

/**
 * The header proxy's rules for the vault's provider definitions (SPI {@code keyward-definition-check}).
 * The {@code proxy} section is the proxy's own: {@link ProxyRules} checks and normalises it whenever
 * the vault takes a definition in or reads one (a broken section: 400 naming the rule when an admin
 * saves it; the provider treated as absent when it came in another way). And a definition that asks
 * for more private network or metadata headers than the operator allows is refused when saved (400),
 * naming the range or header. The options stay the proxy's own
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
        return new ProviderDefinitionCheck() {
            @Override
            public ProviderDefinition normalise(ProviderDefinition definition) throws InvalidInputException {
                return ProxyRules.normalised(definition);
            }

            @Override
            public void check(ProviderDefinition definition) throws InvalidInputException {
                Optional<ProxiedProvider> proxied = ProxiedProvider.of(definition);
                Optional<String> excess = proxied.flatMap(allowance::excess);
                if (excess.isPresent()) {
                    throw new InvalidInputException(excess.get());
                }
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
