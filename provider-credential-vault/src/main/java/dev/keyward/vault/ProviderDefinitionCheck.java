package dev.keyward.vault;

import org.keycloak.provider.Provider;

/**
 * A rule a provider definition must pass before an admin can save it, contributed by another
 * module through the SPI {@code keyward-definition-check}. The vault checks a definition's shape;
 * a module that acts on definitions adds the server's limits (the header proxy: which private
 * ranges and headers its operator lets a realm admin ask for) without the vault depending on it.
 */
public interface ProviderDefinitionCheck extends Provider {

    /**
     * @param definition a definition that already passed the vault's own rules
     * @throws InvalidInputException with a short message for the admin, naming what is not allowed
     */
    void check(ProviderDefinition definition) throws InvalidInputException;

    @Override
    default void close() {}
}
