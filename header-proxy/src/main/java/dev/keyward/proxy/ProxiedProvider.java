package dev.keyward.proxy;

import dev.keyward.vault.InvalidInputException;
import dev.keyward.vault.ProviderDefinition;
import dev.keyward.vault.ProviderDefinitions;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * A provider the header proxy can call: the vault's definition (id, credential kind and name, which
 * the stored credential is bound to) with its {@code proxy} section parsed into rules.
 */
record ProxiedProvider(ProviderDefinition definition, ProxyRules rules) {
    private static final Logger LOG = Logger.getLogger(ProxiedProvider.class);

    /** @return the realm's provider with that id, if it has a {@code proxy} section */
    static Optional<ProxiedProvider> find(KeycloakSession session, RealmModel realm, String id) {
        return ProviderDefinitions.get(session, realm, id).flatMap(ProxiedProvider::of);
    }

    /** @return the definition with its rules; empty without a {@code proxy} section or with broken rules */
    static Optional<ProxiedProvider> of(ProviderDefinition definition) {
        try {
            return ProxyRules.of(definition).map(rules -> new ProxiedProvider(definition, rules));
        } catch (InvalidInputException e) {
            // the vault hands out only definitions this module's check normalised, so this is not expected
            LOG.debugf("header proxy: provider %s has broken proxy rules: %s", definition.id(), e.getMessage());
            return Optional.empty();
        }
    }

    /** @return the provider's id */
    String id() {
        return definition.id();
    }
}
