package dev.keyward.opaque.authenticator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The MACs that tie a re-registration under the active setup secret to the login that just
 * succeeded, keyed from that login's OPAQUE session key, which only the client that finished it
 * (and the server) know (all HMAC-SHA-256, strings UTF-8):
 * <pre>
 * rekey_key = HMAC(session_key, "keyward-rekey")
 * offer     = HMAC(rekey_key, "offer")             in the KE2 answer when the record is under an older secret
 * proof     = HMAC(rekey_key, "record" || record)  sent with the new record
 * </pre>
 * Every KE2 answer carries an offer: when no re-registration is wanted (or there is no real login
 * to finish: an unknown name, a locked account), 32 random bytes, which nobody can tell from a real
 * offer without the session key. The server keeps only {@code rekey_key} between the steps.
 */
final class RekeyProof {
    /** Bytes of an offer, a proof and the rekey key. */
    static final int LENGTH = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private RekeyProof() {}

    /** @return {@code rekey_key} for a login's session key */
    static byte[] key(byte[] sessionKey) {
        return hmac(sessionKey, label("keyward-rekey"), new byte[0]);
    }

    /** @return the offer for a login's session key */
    static byte[] offer(byte[] sessionKey) {
        return hmac(key(sessionKey), label("offer"), new byte[0]);
    }

    /** @return what an offer looks like when there is none: random bytes */
    static byte[] noOffer() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return b;
    }

    /** @return the proof for a record under {@code rekey_key} */
    static byte[] proof(byte[] rekeyKey, byte[] record) {
        return hmac(rekeyKey, label("record"), record);
    }

    /**
     * @param rekeyKey the key kept from the login
     * @param record the uploaded record's bytes
     * @param proof the uploaded proof (may be null)
     * @return whether the proof is right, compared in constant time
     */
    static boolean verify(byte[] rekeyKey, byte[] record, byte[] proof) {
        return proof != null && proof.length == LENGTH && MessageDigest.isEqual(proof(rekeyKey, record), proof);
    }

    private static byte[] label(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hmac(byte[] key, byte[] first, byte[] second) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(first);
            return mac.doFinal(second);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
