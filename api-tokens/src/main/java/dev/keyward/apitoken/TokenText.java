package dev.keyward.apitoken;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The text of an API token: {@code kwt_}, a 16-character lookup id (12 random bytes) and a
 * 43-character secret (32 random bytes), both base64url. The prefix makes a leaked token easy to
 * recognise (secret scanners, logs); the lookup id finds the one row to compare, so a check costs
 * one keyed hash whatever the table holds; the secret's 256 bits are what an attacker must guess.
 */
record TokenText(String text) {
    static final String PREFIX = "kwt_";
    static final int ID_CHARS = 16;
    static final int SECRET_CHARS = 43;
    static final int LENGTH = PREFIX.length() + ID_CHARS + SECRET_CHARS;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** @return a new token */
    static TokenText generate() {
        byte[] id = new byte[12];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return new TokenText(PREFIX + b64.encodeToString(id) + b64.encodeToString(secret));
    }

    /**
     * @return the token, or null when {@code presented} does not have a token's shape (no lookup is
     *     made for such a value)
     */
    static TokenText parse(String presented) {
        if (presented == null || presented.length() != LENGTH || !presented.startsWith(PREFIX)) {
            return null;
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            char c = presented.charAt(i);
            boolean ok =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return null;
            }
        }
        return new TokenText(presented);
    }

    /** @return the public lookup id (the row's primary key) */
    String id() {
        return text.substring(PREFIX.length(), PREFIX.length() + ID_CHARS);
    }

    @Override
    public String toString() {
        // never the secret part
        return PREFIX + id() + "…";
    }
}
