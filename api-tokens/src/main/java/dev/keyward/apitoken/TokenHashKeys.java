package dev.keyward.apitoken;

import dev.keyward.common.KeyringOption;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys of the tokens' keyed hash (HMAC-SHA256), by id. The keys live in Keycloak's
 * configuration, never in the database: a copy of the database alone cannot confirm a token, and a
 * write to it cannot plant one. A fast hash is right here because a token is 256 random bits, not
 * a password: there is no dictionary to slow down, and a slow hash would only make every script
 * call cost CPU an attacker can ask for too.
 */
final class TokenHashKeys {
    static final int KEY_BYTES = 32;

    /** Keys shown as examples in our documentation (base64): a deployment must not use them. */
    static final List<String> KNOWN_EXAMPLES = List.of(
            // api-tokens/README.md, "Keys": KC_SPI_KEYWARD_API_TOKENS__DEFAULT__KEYS=t1:...
            "5JQCyAboY4l1g3Scav3wxF+YdJKnnmcuJUJOAo0chUs=",
            // .env.example: KEYWARD_API_TOKEN_KEYS=t1:... ("CHANGE-ME-CHANGE-ME-CHANGE-ME-CH")
            "Q0hBTkdFLU1FLUNIQU5HRS1NRS1DSEFOR0UtTUUtQ0g=");

    private final Map<String, byte[]> keys;
    private final String activeId;

    private TokenHashKeys(Map<String, byte[]> keys, String activeId) {
        this.keys = keys;
        this.activeId = activeId;
    }

    /**
     * @param keysOption {@code id:base64,...}, each key 32 random bytes
     * @param activeOption the id new tokens use; may be empty with one key
     * @throws KeyringOption.InvalidKeyringException naming the rule broken, never a key
     */
    static TokenHashKeys parse(String keysOption, String activeOption) throws KeyringOption.InvalidKeyringException {
        KeyringOption.Parsed parsed =
                KeyringOption.parse(keysOption, activeOption, KeyringOption.randomKeys(KEY_BYTES, KNOWN_EXAMPLES));
        return new TokenHashKeys(new LinkedHashMap<>(parsed.keys()), parsed.activeId());
    }

    String activeId() {
        return activeId;
    }

    Set<String> ids() {
        return keys.keySet();
    }

    /** @return whether the ring holds {@code keyId} */
    boolean has(String keyId) {
        return keys.containsKey(keyId);
    }

    /** @return the token's hash under {@code keyId} (base64url); the ring must hold the id */
    String hash(String keyId, TokenText token) {
        byte[] key = keys.get(keyId);
        if (key == null) {
            throw new IllegalArgumentException("no key " + KeyringOption.printableId(keyId));
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(mac.doFinal(token.text().getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Constant-time comparison of two hashes. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "TokenHashKeys" + keys.keySet() + " active=" + activeId;
    }
}
