package dev.keyward.vault;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.provider.Provider;

/**
 * The encrypted store, looked up with {@code session.getProvider(CredentialVaultProvider.class)}
 * (the header proxy and the Vault SPI provider use it). Every method runs in the session's
 * transaction.
 */
public interface CredentialVaultProvider extends Provider {

    /**
     * @param realmId the realm
     * @param scope user credentials or realm secrets
     * @param subject the user id, or the realm id for realm secrets
     * @return metadata of the subject's secrets, by name
     */
    List<SecretMetadata> list(String realmId, SecretScope scope, String subject);

    /**
     * Encrypts under the active key and stores, replacing what the binding held.
     *
     * @param binding where it belongs; a user credential's binding names its upstream
     *     ({@link SecretBinding#user(String, String, ProviderDefinition)})
     * @param plaintext the secret
     * @return true if created, false if replaced
     */
    boolean put(SecretBinding binding, byte[] plaintext);

    /**
     * @param binding what to read; for a user credential, bound to its provider's definition as it
     *     stands now ({@link SecretBinding#user(String, String, ProviderDefinition)})
     * @return the secret, or empty if there is none
     * @throws UndecryptableSecretException if the row exists but cannot be opened (logged, with
     *     the row named and the secret not)
     * @throws StrandedCredentialException if a user credential was stored for another upstream
     *     origin or credential kind/name than the binding names (logged with the row named; nothing
     *     is decrypted)
     */
    Optional<byte[]> read(SecretBinding binding) throws UndecryptableSecretException, StrandedCredentialException;

    /** @return metadata of one secret, if stored */
    Optional<SecretMetadata> find(SecretBinding binding);

    /** @return true if something was deleted */
    boolean delete(SecretBinding binding);

    /**
     * Deletes every subject's secret of one name, e.g. all users' credentials for a provider
     * that is being removed.
     *
     * @return rows deleted
     */
    int deleteAllNamed(String realmId, SecretScope scope, String name);

    /**
     * @return how many users' credentials for a provider are bound to this upstream: the rows a
     *     definition change away from it strands
     */
    long countBoundTo(String realmId, String providerId, UpstreamBinding upstream);

    /**
     * @param realmId a realm, or null for all realms
     * @return stored rows per key id
     */
    Map<String, Long> rowsByKeyId(String realmId);

    /**
     * Opens every row of a realm (and forgets the plaintext) to find rows that no longer decrypt:
     * altered, moved to another owner, or under a key the ring lacks. Each one is logged.
     *
     * @return the rows that failed, with why
     */
    List<Undecryptable> verify(String realmId);

    /** A row that failed to open: where it sits, and why (never its content). */
    record Undecryptable(
            String id,
            SecretScope scope,
            String subject,
            String name,
            String keyId,
            UndecryptableSecretException.Reason reason) {}

    /** @return the keyring this node runs with (ids only leave this object) */
    VaultKeyring keyring();
}
