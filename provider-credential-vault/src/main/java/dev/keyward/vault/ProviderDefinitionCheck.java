package dev.keyward.vault;

import org.keycloak.provider.Provider;

/**
 * Rules a provider definition must pass, contributed by another module through the SPI
 * {@code keyward-definition-check}, without the vault depending on it. The vault checks its own
 * fields; a module that owns a part of the definition checks and normalises that part (the header
 * proxy: the {@code proxy} section's rules, {@link #normalise}) and adds the server's limits (the
 * header proxy: which private ranges and headers its operator lets a realm admin ask for, {@link #check}).
 */
public interface ProviderDefinitionCheck extends Provider {

    /**
     * Checks the part of a definition this module owns and returns it in normal form. Runs on every
     * definition an admin saves, before {@link #check}, and on every stored definition the vault reads
     * (one that fails is treated as absent, as a broken realm attribute is).
     *
     * @param definition a definition that already passed the vault's own rules
     * @return the definition, normalised (the same one when there is nothing to do)
     * @throws InvalidInputException with a short message for the admin, naming the first broken rule
     */
    default ProviderDefinition normalise(ProviderDefinition definition) throws InvalidInputException {
        return definition;
    }

    /**
     * A rule checked only when an admin saves a definition (the admin API answers 400).
     *
     * @param definition a definition that already passed every {@link #normalise}
     * @throws InvalidInputException with a short message for the admin, naming what is not allowed
     */
    void check(ProviderDefinition definition) throws InvalidInputException;

    @Override
    default void close() {}
}
