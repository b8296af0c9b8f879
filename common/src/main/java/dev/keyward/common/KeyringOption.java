package dev.keyward.common;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A keyring option as the pack's server secrets take it: {@code id:base64,id:base64} and an
 * active id. The vault's keys and the OPAQUE setup secrets share this syntax and its rules (ids,
 * duplicates, the active id); what a key itself must be (length, randomness, known examples) is
 * each caller's {@link KeyCheck}. Messages name the rule and the key id, never a key or part of
 * one: Keycloak prints start-up failures to its console and log.
 */
public final class KeyringOption {
    /** Key ids travel in clear (envelopes, credential data, admin answers): short and plain. */
    public static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");

    private KeyringOption() {}

    /** A keyring that breaks a rule; the message names the rule and key id, never a value. */
    public static final class InvalidKeyringException extends Exception {
        private static final long serialVersionUID = 1L;

        /** @param message the rule that is broken */
        public InvalidKeyringException(String message) {
            super(message);
        }
    }

    /** What one decoded key must be; throws with a message naming {@code id}, never the key. */
    @FunctionalInterface
    public interface KeyCheck {
        /**
         * @param id the key id
         * @param key the decoded key
         * @throws InvalidKeyringException if the key breaks a rule
         */
        void check(String id, byte[] key) throws InvalidKeyringException;
    }

    /**
     * A parsed keyring.
     *
     * @param keys decoded keys by id, in configuration order (unmodifiable)
     * @param activeId the id new writes use
     */
    public record Parsed(Map<String, byte[]> keys, String activeId) {
        @Override
        public String toString() {
            // never the keys
            return "Keyring" + keys.keySet() + " active=" + activeId;
        }
    }

    /**
     * Parses and validates a keyring.
     *
     * @param keysOption comma-separated {@code id:base64} entries; base64 standard or URL-safe,
     *     padding optional; whitespace around entries is ignored
     * @param activeOption the active id; may be null or blank when the ring has one key
     * @param check the rules for each decoded key
     * @return the keyring
     * @throws InvalidKeyringException if the ring is empty, an entry is malformed, a key breaks
     *     {@code check}, an id or a key appears twice, or the active id is not in the ring
     */
    public static Parsed parse(String keysOption, String activeOption, KeyCheck check) throws InvalidKeyringException {
        if (keysOption == null || keysOption.isBlank()) {
            throw new InvalidKeyringException("has no key");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String entry : keysOption.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (colon < 0) {
                throw new InvalidKeyringException(
                        "has an entry without 'id:' in front of the key (expected id:base64,...)");
            }
            String id = trimmed.substring(0, colon).trim();
            if (!KEY_ID.matcher(id).matches()) {
                throw new InvalidKeyringException("has an invalid key id (1 to 32 of A-Z a-z 0-9 . _ -)");
            }
            if (keys.containsKey(id)) {
                throw new InvalidKeyringException("lists key id '" + id + "' twice");
            }
            byte[] key;
            try {
                key = decodeBase64(trimmed.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                // the JDK's message quotes the offending character: do not chain it
                throw new InvalidKeyringException("key '" + id + "' is not valid base64");
            }
            check.check(id, key);
            for (Map.Entry<String, byte[]> other : keys.entrySet()) {
                if (MessageDigest.isEqual(other.getValue(), key)) {
                    throw new InvalidKeyringException(
                            "uses the same key under ids '" + other.getKey() + "' and '" + id + "'");
                }
            }
            keys.put(id, key);
        }
        if (keys.isEmpty()) {
            throw new InvalidKeyringException("has no key");
        }
        String active = activeOption == null ? "" : activeOption.trim();
        if (active.isEmpty()) {
            if (keys.size() > 1) {
                throw new InvalidKeyringException("has " + keys.size() + " keys but no active key id");
            }
            active = keys.keySet().iterator().next();
        }
        if (!keys.containsKey(active)) {
            throw new InvalidKeyringException("does not contain the active key id '" + printableId(active) + "'");
        }
        return new Parsed(Collections.unmodifiableMap(keys), active);
    }

    /**
     * The rule for keys that must be {@code bytes} random bytes: exactly that long, random-looking
     * ({@link #looksRandom}) and none of {@code knownExamples} (base64 values shown in the
     * documentation, which everybody who read it has).
     */
    public static KeyCheck randomKeys(int bytes, List<String> knownExamples) {
        return (id, key) -> {
            if (key.length != bytes) {
                throw new InvalidKeyringException("key '" + id + "' decodes to " + key.length + " bytes; exactly "
                        + bytes + " are required (generate one with: openssl rand -base64 " + bytes + ")");
            }
            for (String example : knownExamples) {
                if (MessageDigest.isEqual(key, Base64.getDecoder().decode(example))) {
                    throw new InvalidKeyringException("key '" + id + "' is an example value from the documentation;"
                            + " generate your own (openssl rand -base64 " + bytes + ")");
                }
            }
            if (!looksRandom(key)) {
                throw new InvalidKeyringException("key '" + id + "' does not look like " + bytes + " random bytes"
                        + " (text, a repeated pattern or a counter?); generate one with: openssl rand -base64 "
                        + bytes);
            }
        };
    }

    /**
     * Rejects keys a person typed or a program counted rather than generated. For 32 uniformly
     * random bytes, fewer than 16 distinct values (expected: about 30), fewer than 16 distinct steps
     * between neighbours (a counter or a short repeated pattern has one or a few), or every byte
     * printable ASCII (chance (95/256)^32, about 1e-14) essentially never happens.
     */
    public static boolean looksRandom(byte[] key) {
        Set<Byte> distinct = new HashSet<>();
        Set<Integer> steps = new HashSet<>();
        boolean allPrintable = true;
        for (int i = 0; i < key.length; i++) {
            distinct.add(key[i]);
            if (i > 0) {
                steps.add((key[i] - key[i - 1]) & 0xff);
            }
            allPrintable &= key[i] >= 0x20 && key[i] < 0x7f;
        }
        return distinct.size() >= 16 && steps.size() >= 16 && !allPrintable;
    }

    /** Both base64 alphabets, padding optional: operators paste either. */
    public static byte[] decodeBase64(String encoded) {
        return Base64.getDecoder().decode(encoded.replace('-', '+').replace('_', '/'));
    }

    /** Echoes an id the operator typed only if it is a plausible id (it could be a pasted key). */
    public static String printableId(String id) {
        return id != null && KEY_ID.matcher(id).matches() ? id : "<not a valid key id>";
    }
}
