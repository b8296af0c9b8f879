package dev.keyward.vault;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Deterministic, random-looking AES-256 keys for tests, so a failure reproduces byte for byte. */
final class TestKeys {
    private TestKeys() {}

    static byte[] bytes(String label) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String base64(String label) {
        return Base64.getEncoder().encodeToString(bytes(label));
    }

    static String base64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }
}
