package dev.keyward.opaque.authenticator;

import dev.keyward.common.DevSecretFile;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The server-level OPAQUE setup secret: parsing, the rules a production secret must meet, and
 * the file that dev mode generates. Nothing here ever puts the secret (or a part of it) into an
 * exception message: Keycloak prints start-up exceptions to the console and log.
 */
final class SetupSecret {
    /** Minimum decoded length: 256 bits, the security level of the derived keys. */
    static final int MIN_BYTES = 32;

    /**
     * Secrets shown as examples in our documentation (decoded). A deployment that copied one
     * would share its OPAQUE keys with everyone who read the docs, so start-up refuses it.
     */
    static final List<String> KNOWN_EXAMPLES = List.of(
            // opaque-authenticator/README.md, "OPAQUE server configuration":
            // KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__SETUP_SECRET=a2V5d2FyZC1leGFtcGxl...
            "a2V5d2FyZC1leGFtcGxlLXNlY3JldC1kby1ub3QtdXNlLWluLXByb2R1Y3Rpb24",
            // the placeholder that configuration templates carry
            "Q0hBTkdFLU1FLUNIQU5HRS1NRS1DSEFOR0UtTUUtQ0hBTkdFLU1F");

    private SetupSecret() {}

    /** A configured or dev secret that breaks a rule; the message names the rule, never the value. */
    static final class InvalidSecretException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidSecretException(String message) {
            super(message);
        }
    }

    /**
     * Decodes and validates a secret.
     *
     * @param encoded base64, standard or URL-safe alphabet, padding optional; surrounding
     *     whitespace is ignored (it comes from files and environment variables)
     * @return the secret bytes
     * @throws InvalidSecretException if it is not base64, shorter than {@link #MIN_BYTES}, a
     *     known example or trivially repetitive
     */
    static byte[] parse(String encoded) throws InvalidSecretException {
        if (encoded == null || encoded.isBlank()) {
            throw new InvalidSecretException("is empty");
        }
        byte[] secret;
        try {
            secret = decodeBase64(encoded.trim());
        } catch (IllegalArgumentException e) {
            // the JDK's message quotes the offending character: do not chain it
            throw new InvalidSecretException("is not valid base64");
        }
        check(secret);
        return secret;
    }

    /**
     * Applies the production rules to decoded bytes.
     *
     * @param secret the decoded secret
     * @throws InvalidSecretException if a rule is broken
     */
    static void check(byte[] secret) throws InvalidSecretException {
        if (secret.length < MIN_BYTES) {
            throw new InvalidSecretException("decodes to " + secret.length + " bytes; at least " + MIN_BYTES
                    + " are required (generate one with: openssl rand -base64 32)");
        }
        for (String example : KNOWN_EXAMPLES) {
            if (MessageDigest.isEqual(secret, decodeBase64(example))) {
                throw new InvalidSecretException(
                        "is an example value from the documentation; generate your own" + " (openssl rand -base64 32)");
            }
        }
        boolean allSame = true;
        for (byte b : secret) {
            allSame &= b == secret[0];
        }
        if (allSame) {
            throw new InvalidSecretException(
                    "repeats a single byte value; generate a random one" + " (openssl rand -base64 32)");
        }
    }

    /** Accepts both base64 alphabets, with or without padding, as operators paste either. */
    static byte[] decodeBase64(String s) {
        String standard = s.replace('-', '+').replace('_', '/');
        return Base64.getDecoder().decode(standard);
    }

    /** @return a fresh 32-byte secret, base64url without padding */
    static String generate(SecureRandom random) {
        byte[] b = new byte[MIN_BYTES];
        random.nextBytes(b);
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    /**
     * Dev mode only: reads the secret kept in {@code file}, or creates the file with a new
     * random secret (owner-only permissions where the file system has POSIX permissions).
     *
     * @param file the secret file
     * @param random randomness for a new secret
     * @return the decoded secret
     * @throws IOException if the file cannot be read or written
     * @throws InvalidSecretException if an existing file holds an invalid secret
     */
    static byte[] loadOrCreateDevSecret(Path file, SecureRandom random) throws IOException, InvalidSecretException {
        return parse(DevSecretFile.readOrCreate(file, () -> generate(random)));
    }
}
