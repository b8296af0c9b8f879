package dev.keyward.vault;

import dev.keyward.common.KeyringOption;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The vault's AES-256 keys by key id, and the id new writes use. Read from Keycloak configuration
 * as {@code id:base64(32 bytes)} entries separated by commas; every rule a production keyring must
 * meet is checked here, so a server never starts on a key it should not trust.
 */
public final class VaultKeyring {
    /** AES-256. */
    public static final int KEY_BYTES = 32;
    /** Key ids travel in clear in every envelope and in the KEY_ID column; short and plain. */
    static final Pattern KEY_ID = KeyringOption.KEY_ID;

    /**
     * Keys shown as examples in our documentation (base64). A deployment that copied one would
     * encrypt its users' credentials under a key everybody who read the docs has.
     */
    static final List<String> KNOWN_EXAMPLES = List.of(
            // provider-credential-vault/README.md, "Keys":
            // KC_SPI_KEYWARD_VAULT__DEFAULT__KEYS=2026-11:LzZDulry+clEH4Lp38MRJJyIB7p1rca5W0isotSUhwQ=
            "LzZDulry+clEH4Lp38MRJJyIB7p1rca5W0isotSUhwQ=",
            // .env.example: KEYWARD_VAULT_KEYS=k1:... ("CHANGE-ME-CHANGE-ME-CHANGE-ME-CH")
            "Q0hBTkdFLU1FLUNIQU5HRS1NRS1DSEFOR0UtTUUtQ0g=");

    private final Map<String, SecretKey> keys;
    private final String activeId;

    private VaultKeyring(Map<String, SecretKey> keys, String activeId) {
        this.keys = Collections.unmodifiableMap(keys);
        this.activeId = activeId;
    }

    /**
     * Parses and validates a keyring.
     *
     * @param keysOption comma-separated {@code id:base64} entries; base64 standard or URL-safe,
     *     padding optional; whitespace around entries is ignored
     * @param activeOption the id new writes use; may be null or blank when the ring has one key
     * @return the keyring
     * @throws InvalidKeyringException if the ring is empty, an entry is malformed, a key is not 32
     *     random-looking bytes or is a documented example, an id or a key appears twice, or the
     *     active id is not in the ring
     */
    public static VaultKeyring parse(String keysOption, String activeOption) throws InvalidKeyringException {
        KeyringOption.Parsed parsed;
        try {
            parsed = KeyringOption.parse(keysOption, activeOption, CHECK);
        } catch (KeyringOption.InvalidKeyringException e) {
            throw new InvalidKeyringException(e.getMessage());
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        parsed.keys().forEach((id, key) -> keys.put(id, new SecretKeySpec(key, "AES")));
        return new VaultKeyring(keys, parsed.activeId());
    }

    /** The vault's rules for one key: exactly 32 bytes, random-looking, not a documented example. */
    private static final KeyringOption.KeyCheck CHECK = KeyringOption.randomKeys(KEY_BYTES, KNOWN_EXAMPLES);

    /** @return the id new writes use */
    public String activeId() {
        return activeId;
    }

    /** @return the key new writes use */
    SecretKey activeKey() {
        return keys.get(activeId);
    }

    /** @return the key with this id, or null if the ring does not hold it */
    SecretKey key(String id) {
        return keys.get(id);
    }

    /** @return the key ids, in configuration order */
    public Set<String> ids() {
        return keys.keySet();
    }

    /** @return a ring line for this key id ({@code id:base64}), for generated dev keyrings */
    static String entry(String id, byte[] key) {
        return id + ":" + Base64.getEncoder().encodeToString(key);
    }

    @Override
    public String toString() {
        // never the keys
        return "VaultKeyring" + keys.keySet() + " active=" + activeId;
    }
}
