package dev.keyward.opaque.authenticator;

import dev.keyward.common.KeyringOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The OPAQUE setup secrets by key id, and the id new registrations use. Every realm's keys derive
 * from each secret exactly as they did from the single secret ({@link SetupDerivation}), so the
 * single {@code setup-secret} option is the ring {@code 1:<secret>}: records made before key ids
 * existed (no key id in their credential data) belong to id {@code 1} and keep working.
 */
final class SetupKeyring {
    /** The key id of the single {@code setup-secret} option and of records without a key id. */
    static final String FIRST_ID = "1";

    private final Map<String, byte[]> secrets;
    private final String activeId;

    private SetupKeyring(Map<String, byte[]> secrets, String activeId) {
        this.secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
        this.activeId = activeId;
    }

    /** A ring of one secret under id {@link #FIRST_ID}: the single {@code setup-secret} option, or dev mode's file. */
    static SetupKeyring single(byte[] secret) {
        return new SetupKeyring(Map.of(FIRST_ID, secret), FIRST_ID);
    }

    /**
     * Parses the {@code setup-secrets} option: the vault's keyring syntax ({@code id:base64,...}),
     * each secret held to {@link SetupSecret#check}.
     *
     * @param ring the option value
     * @param active the active id; may be blank when the ring has one secret
     * @return the keyring
     * @throws KeyringOption.InvalidKeyringException naming the rule and key id, never a secret
     */
    static SetupKeyring parse(String ring, String active) throws KeyringOption.InvalidKeyringException {
        KeyringOption.Parsed parsed = KeyringOption.parse(ring, active, (id, secret) -> {
            try {
                SetupSecret.check(secret);
            } catch (SetupSecret.InvalidSecretException e) {
                throw new KeyringOption.InvalidKeyringException("secret '" + id + "' " + e.getMessage());
            }
        });
        return new SetupKeyring(parsed.keys(), parsed.activeId());
    }

    /** @return the id new registrations use */
    String activeId() {
        return activeId;
    }

    /** @return the secret of this id, or null if the ring does not hold it */
    byte[] secret(String id) {
        return secrets.get(id);
    }

    /** @return the ids, in configuration order */
    Set<String> ids() {
        return secrets.keySet();
    }

    /** Overwrites the secrets. */
    void destroy() {
        secrets.values().forEach(s -> Arrays.fill(s, (byte) 0));
    }

    @Override
    public String toString() {
        // never the secrets
        return "SetupKeyring" + secrets.keySet() + " active=" + activeId;
    }
}
