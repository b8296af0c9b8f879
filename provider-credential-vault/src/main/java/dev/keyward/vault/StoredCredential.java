package dev.keyward.vault;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;

/**
 * A user's credential for a provider, as PUT by the user and as encrypted: {@code {"secret": "…"}}
 * for bearer, API-key-header and cookie providers, {@code {"username": "…", "password": "…"}} for
 * basic. The encrypted plaintext is this JSON in UTF-8, so the header proxy gets the same shape back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class StoredCredential {
    /** Token, API key or cookie value. */
    public String secret;
    /** Basic user name (no ':'). */
    public String username;
    /** Basic password. */
    public String password;

    /**
     * Parses and checks a credential for a provider of {@code kind}.
     *
     * @throws InvalidInputException naming the broken rule, never the value
     */
    static StoredCredential parse(CredentialKind kind, String json) throws InvalidInputException {
        StoredCredential c;
        try {
            c = ProviderDefinitions.JSON.readValue(json, StoredCredential.class);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(RestErrors.describe(e));
        }
        if (c == null) {
            throw new InvalidInputException("body must be a JSON object");
        }
        if (kind == CredentialKind.BASIC) {
            if (c.secret != null || c.username == null || c.password == null) {
                throw new InvalidInputException("a basic provider takes {\"username\": ..., \"password\": ...}");
            }
            if (c.username.isEmpty()
                    || c.username.indexOf(':') >= 0
                    || hasControl(c.username)
                    || hasControl(c.password)) {
                throw new InvalidInputException(
                        "username must be non-empty without ':'; neither may hold control characters");
            }
        } else {
            if (c.secret == null || c.username != null || c.password != null) {
                throw new InvalidInputException("this provider takes {\"secret\": ...}");
            }
            if (c.secret.isEmpty() || !visibleAscii(c.secret)) {
                throw new InvalidInputException(
                        "secret must be non-empty visible ASCII (no spaces or control characters)");
            }
            if (kind == CredentialKind.COOKIE
                    && c.secret.chars().anyMatch(ch -> ch == ';' || ch == ',' || ch == '"' || ch == '\\')) {
                throw new InvalidInputException("a cookie value may not hold ; , \" or \\");
            }
        }
        int size = utf8(c.secret) + utf8(c.username) + utf8(c.password);
        if (size > VaultConstants.MAX_SECRET_BYTES) {
            throw new InvalidInputException(
                    "the credential is larger than " + VaultConstants.MAX_SECRET_BYTES + " bytes");
        }
        return c;
    }

    /** @return this credential as stored plaintext (UTF-8 JSON) */
    byte[] bytes() {
        try {
            return ProviderDefinitions.JSON.writeValueAsString(this).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a credential");
        }
    }

    /**
     * @param plaintext decrypted bytes
     * @return the credential
     */
    public static StoredCredential fromBytes(byte[] plaintext) {
        try {
            return ProviderDefinitions.JSON.readValue(plaintext, StoredCredential.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored credential is not JSON");
        }
    }

    private static int utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static boolean visibleAscii(String s) {
        return s.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f);
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f);
    }

    @Override
    public String toString() {
        return "StoredCredential[hidden]";
    }
}
