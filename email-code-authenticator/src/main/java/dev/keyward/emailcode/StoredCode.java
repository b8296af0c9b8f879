package dev.keyward.emailcode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the server keeps of a sent code (in the authentication session): never the code, only its
 * HMAC-SHA256 under a per-realm key, bound to the realm, user and authentication session, with
 * its expiry and the wrong attempts it has left. Someone who reads the session store still has to
 * know the key to test candidate codes offline. Immutable: a failed attempt yields the next state.
 *
 * @param keyId which realm key made the digest (a rotated key makes old codes fail, not crash)
 * @param digest the HMAC
 * @param expiresAt when the code stops being accepted
 * @param attemptsLeft wrong codes still allowed
 */
public record StoredCode(String keyId, byte[] digest, Instant expiresAt, int attemptsLeft) {
    private static final String VERSION = "v1";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** The outcome of checking a submitted code. */
    public enum Verdict {
        /** Right code, in time, attempts left. */
        MATCH,
        /** Wrong code (one attempt used). */
        MISMATCH,
        /** Too late; the code is dead whatever was typed. */
        EXPIRED,
        /** No attempts left; the code is dead whatever was typed. */
        EXHAUSTED
    }

    /**
     * The stored form of a code just sent.
     *
     * @param code the code (normalised form, as generated)
     * @param key the realm's HMAC key
     * @param keyId its id
     * @param binding realm, user and authentication session it belongs to (see {@link #binding})
     * @param now the current time
     * @param settings lifetime and attempts
     * @return the state to keep
     */
    public static StoredCode issue(
            String code, byte[] key, String keyId, String binding, Instant now, EmailCodeSettings settings) {
        return new StoredCode(keyId, mac(key, binding, code), now.plus(settings.lifetime()), settings.maxAttempts());
    }

    /**
     * What a code is bound to; each part is length-prefixed so no two different triples collide.
     *
     * @param realmId the realm
     * @param userId the user
     * @param authSessionId the authentication session (tab) the code was sent for
     * @return the binding string
     */
    public static String binding(String realmId, String userId, String authSessionId) {
        return realmId.length() + ":" + realmId + "|" + userId.length() + ":" + userId + "|" + authSessionId.length()
                + ":" + authSessionId;
    }

    /**
     * Checks a submitted code. The comparison is constant-time; a dead code is not compared at all.
     *
     * @param typed the submitted code, already normalised
     * @param key the realm key with {@link #keyId}
     * @param binding the binding of this request
     * @param now the current time
     * @return the verdict
     */
    public Verdict check(String typed, byte[] key, String binding, Instant now) {
        if (attemptsLeft <= 0) {
            return Verdict.EXHAUSTED;
        }
        if (!now.isBefore(expiresAt)) {
            return Verdict.EXPIRED;
        }
        return MessageDigest.isEqual(digest, mac(key, binding, typed)) ? Verdict.MATCH : Verdict.MISMATCH;
    }

    /** @return the state after one more wrong code */
    public StoredCode afterMismatch() {
        return new StoredCode(keyId, digest, expiresAt, Math.max(0, attemptsLeft - 1));
    }

    /** @return the authentication-session note */
    public String toNote() {
        return String.join(
                ".",
                VERSION,
                B64.encodeToString(keyId.getBytes(StandardCharsets.UTF_8)),
                B64.encodeToString(digest),
                Long.toString(expiresAt.getEpochSecond()),
                Integer.toString(attemptsLeft));
    }

    /**
     * @param note a note {@link #toNote} wrote, or null
     * @return the state, or null when there is no note or it is not one of ours (treated as "no code sent")
     */
    public static StoredCode fromNote(String note) {
        if (note == null) {
            return null;
        }
        String[] parts = note.split("\\.", -1);
        if (parts.length != 5 || !VERSION.equals(parts[0])) {
            return null;
        }
        try {
            byte[] digest = B64D.decode(parts[2]);
            if (digest.length != 32) {
                return null;
            }
            return new StoredCode(
                    new String(B64D.decode(parts[1]), StandardCharsets.UTF_8),
                    digest,
                    Instant.ofEpochSecond(Long.parseLong(parts[3])),
                    Integer.parseInt(parts[4]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] mac(byte[] key, String binding, String code) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(binding.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(code.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is a required JCA algorithm
            throw new IllegalStateException(e);
        }
    }

    /** Never prints the digest. */
    @Override
    public String toString() {
        return "StoredCode[keyId=" + keyId + ", expiresAt=" + expiresAt + ", attemptsLeft=" + attemptsLeft + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredCode s
                && keyId.equals(s.keyId)
                && MessageDigest.isEqual(digest, s.digest)
                && expiresAt.equals(s.expiresAt)
                && attemptsLeft == s.attemptsLeft;
    }

    @Override
    public int hashCode() {
        return keyId.hashCode() * 31 + expiresAt.hashCode();
    }
}
