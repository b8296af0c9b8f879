package dev.keyward.vault;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a provider's upstream expects the stored credential. */
public enum CredentialKind {
    /** {@code Authorization: Bearer <secret>}. */
    BEARER("bearer"),
    /** {@code Authorization: Basic base64(username:password)}. */
    BASIC("basic"),
    /** {@code <credentialName>: <secret>}, e.g. {@code X-Api-Key}. */
    API_KEY_HEADER("api-key-header"),
    /** {@code Cookie: <credentialName>=<secret>}. */
    COOKIE("cookie");

    private final String json;

    CredentialKind(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }

    @JsonCreator
    static CredentialKind fromJson(String value) {
        for (CredentialKind k : values()) {
            if (k.json.equals(value)) {
                return k;
            }
        }
        throw new IllegalArgumentException("credentialKind must be one of bearer, basic, api-key-header, cookie");
    }
}
