package dev.keyward.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyward.vault.UndecryptableSecretException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretEnvelopeTest {
    private static final String K_OLD = TestKeys.base64("old");
    private static final String K_NEW = TestKeys.base64("new");
    private static final String PLAINTEXT = "{\"secret\":\"ghp_topSecretToken123\"}";
    private static final SecretBinding BINDING = SecretBinding.user("realm-1", "user-1", "github");

    private static SecretEnvelope envelope(String keys, String active) throws InvalidKeyringException {
        return new SecretEnvelope(VaultKeyring.parse(keys, active), new SecureRandom());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Opens bytes that must not open, and checks the failure neither decrypts nor names the secret. */
    private static Reason failure(SecretEnvelope env, SecretBinding binding, byte[] bytes) {
        UndecryptableSecretException e =
                assertThrows(UndecryptableSecretException.class, () -> env.open(binding, bytes));
        assertFalse(e.getMessage().contains("ghp_topSecretToken123"), e::getMessage);
        return e.reason();
    }

    /** The envelope with its header's key id replaced, everything after the id kept. */
    private static byte[] withKeyId(byte[] sealed, String newId) {
        int oldLength = sealed[1];
        byte[] id = newId.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[sealed.length - oldLength + id.length];
        out[0] = sealed[0];
        out[1] = (byte) id.length;
        System.arraycopy(id, 0, out, 2, id.length);
        System.arraycopy(sealed, 2 + oldLength, out, 2 + id.length, sealed.length - 2 - oldLength);
        return out;
    }

    @Test
    void roundTrip() throws Exception {
        SecretEnvelope env = envelope("k1:" + K_OLD, null);
        byte[] sealed = env.seal(BINDING, utf8(PLAINTEXT));
        assertArrayEquals(utf8(PLAINTEXT), env.open(BINDING, sealed));
    }

    @Test
    void roundTripOfEmptyPlaintext() throws Exception {
        SecretEnvelope env = envelope("k1:" + K_OLD, null);
        byte[] sealed = env.seal(BINDING, new byte[0]);
        assertEquals(2 + 2 + SecretEnvelope.NONCE_BYTES + SecretEnvelope.TAG_BITS / 8, sealed.length);
        assertArrayEquals(new byte[0], env.open(BINDING, sealed));
    }

    @Test
    void everySealUsesAFreshNonce() throws Exception {
        SecretEnvelope env = envelope("k1:" + K_OLD, null);
        byte[] a = env.seal(BINDING, utf8(PLAINTEXT));
        byte[] b = env.seal(BINDING, utf8(PLAINTEXT));
        assertFalse(Arrays.equals(a, b));
        assertFalse(Arrays.equals(Arrays.copyOfRange(a, 4, 16), Arrays.copyOfRange(b, 4, 16)), "same nonce twice");
        assertArrayEquals(utf8(PLAINTEXT), env.open(BINDING, a));
        assertArrayEquals(utf8(PLAINTEXT), env.open(BINDING, b));
    }

    @Test
    void headerHoldsVersionAndKeyIdInClear() throws Exception {
        SecretEnvelope env = envelope("2026-11:" + K_OLD, null);
        byte[] sealed = env.seal(BINDING, utf8(PLAINTEXT));
        assertEquals(1, sealed[0]);
        assertEquals(7, sealed[1]);
        assertEquals("2026-11", new String(sealed, 2, 7, StandardCharsets.US_ASCII));
        assertEquals("2026-11", SecretEnvelope.keyId(sealed));
        assertEquals(2 + 7 + SecretEnvelope.NONCE_BYTES + utf8(PLAINTEXT).length + 16, sealed.length);
    }

    @Test
    void ciphertextIsBoundToItsRow() throws Exception {
        SecretEnvelope env = envelope("k1:" + K_OLD, null);
        byte[] sealed = env.seal(BINDING, utf8(PLAINTEXT));
        SecretBinding[] others = {
            new SecretBinding("realm-2", SecretScope.USER, "user-1", "github"),
            new SecretBinding("realm-1", SecretScope.REALM, "user-1", "github"),
            new SecretBinding("realm-1", SecretScope.USER, "user-2", "github"),
            new SecretBinding("realm-1", SecretScope.USER, "user-1", "gitlab"),
        };
        for (SecretBinding other : others) {
            assertEquals(Reason.TAG_MISMATCH, failure(env, other, sealed), other::toString);
        }
    }

    @Test
    void anyFlippedByteAfterTheKeyIdFailsTheTag() throws Exception {
        SecretEnvelope env = envelope("k1:" + K_OLD, null);
        byte[] sealed = env.seal(BINDING, utf8(PLAINTEXT));
        // nonce, ciphertext and tag all start after version, length and the 2-byte id
        for (int i = 4; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            int at = i;
            assertEquals(Reason.TAG_MISMATCH, failure(env, BINDING, tampered), () -> "byte " + at);
        }
    }

    @Test
    void keyIdEditedToAnotherKeyInTheRingFailsTheTag() throws Exception {
        // same-length ids, so only the id changes and the nonce stays in place
        SecretEnvelope env = envelope("k1:" + K_OLD + ",k2:" + K_NEW, "k1");
        byte[] sealed = env.seal(BINDING, utf8(PLAINTEXT));
        assertEquals(Reason.TAG_MISMATCH, failure(env, BINDING, withKeyId(sealed, "k2")));
    }

    @Test
    void keyIdEditedToAnUnknownKeyIsReportedAsSuch() throws Exception {
        SecretEnvelope env = envelope("k1:" + K_OLD + ",k2:" + K_NEW, "k1");
        byte[] sealed = env.seal(BINDING, utf8(PLAINTEXT));
        assertEquals(Reason.UNKNOWN_KEY, failure(env, BINDING, withKeyId(sealed, "k3")));
        assertEquals(Reason.UNKNOWN_KEY, failure(env, BINDING, withKeyId(sealed, "other-key")));
    }

    @Test
    void malformedInput() throws Exception {
        SecretEnvelope env = envelope("k1:" + K_OLD, null);
        byte[] sealed = env.seal(BINDING, utf8(PLAINTEXT));
        assertEquals(Reason.MALFORMED, failure(env, BINDING, null));
        assertEquals(Reason.MALFORMED, failure(env, BINDING, new byte[0]));
        assertEquals(Reason.MALFORMED, failure(env, BINDING, new byte[] {1}));
        // shorter than header + nonce + tag
        int minimum = 2 + 2 + SecretEnvelope.NONCE_BYTES + SecretEnvelope.TAG_BITS / 8;
        assertEquals(Reason.MALFORMED, failure(env, BINDING, Arrays.copyOf(sealed, minimum - 1)));
        assertEquals(Reason.MALFORMED, failure(env, BINDING, Arrays.copyOf(sealed, 4)));

        byte[] version2 = sealed.clone();
        version2[0] = 2;
        assertEquals(Reason.MALFORMED, failure(env, BINDING, version2));
        byte[] version0 = sealed.clone();
        version0[0] = 0;
        assertEquals(Reason.MALFORMED, failure(env, BINDING, version0));

        byte[] noId = sealed.clone();
        noId[1] = 0;
        assertEquals(Reason.MALFORMED, failure(env, BINDING, noId));
        byte[] badIdChar = sealed.clone();
        badIdChar[2] = '/';
        assertEquals(Reason.MALFORMED, failure(env, BINDING, badIdChar));
        byte[] idTooLong = sealed.clone();
        idTooLong[1] = (byte) 0xff;
        assertEquals(Reason.MALFORMED, failure(env, BINDING, idTooLong));
    }

    @Test
    void rotationOpensOldRowsAndResealsUnderTheNewKey() throws Exception {
        SecretEnvelope before = envelope("old:" + K_OLD, null);
        byte[] oldRow = before.seal(BINDING, utf8(PLAINTEXT));
        assertEquals("old", SecretEnvelope.keyId(oldRow));

        SecretEnvelope after = envelope("old:" + K_OLD + ",new:" + K_NEW, "new");
        byte[] plaintext = after.open(BINDING, oldRow);
        assertArrayEquals(utf8(PLAINTEXT), plaintext);
        byte[] newRow = after.seal(BINDING, plaintext);
        assertEquals("new", SecretEnvelope.keyId(newRow));
        assertArrayEquals(utf8(PLAINTEXT), after.open(BINDING, newRow));

        // a node still on the old ring cannot read the rotated row, and says why
        assertEquals(Reason.UNKNOWN_KEY, failure(before, BINDING, newRow));
        // once the old key leaves the ring, rows left behind are reported, not misread
        SecretEnvelope newOnly = envelope("new:" + K_NEW, null);
        assertEquals(Reason.UNKNOWN_KEY, failure(newOnly, BINDING, oldRow));
        assertArrayEquals(utf8(PLAINTEXT), newOnly.open(BINDING, newRow));
    }

    @Test
    void sameKeyIdWithADifferentKeyFailsTheTag() throws Exception {
        byte[] sealed = envelope("k1:" + K_OLD, null).seal(BINDING, utf8(PLAINTEXT));
        assertEquals(Reason.TAG_MISMATCH, failure(envelope("k1:" + K_NEW, null), BINDING, sealed));
    }

    @Test
    void associatedDataIsUnambiguous() {
        byte[] abC = SecretBinding.user("r", "ab", "c").associatedData(1, "k");
        byte[] aBc = SecretBinding.user("r", "a", "bc").associatedData(1, "k");
        assertFalse(Arrays.equals(abC, aBc));

        byte[] realmAbC = new SecretBinding("ab", SecretScope.USER, "c", "n").associatedData(1, "k");
        byte[] realmABc = new SecretBinding("a", SecretScope.USER, "bc", "n").associatedData(1, "k");
        assertFalse(Arrays.equals(realmAbC, realmABc));

        // a NUL cannot stand in for a field boundary either
        byte[] nul = SecretBinding.user("r", "a\0", "c").associatedData(1, "k");
        byte[] split = SecretBinding.user("r", "a", "\0c").associatedData(1, "k");
        assertFalse(Arrays.equals(nul, split));

        byte[] user = new SecretBinding("r", SecretScope.USER, "s", "n").associatedData(1, "k");
        byte[] realm = new SecretBinding("r", SecretScope.REALM, "s", "n").associatedData(1, "k");
        assertFalse(Arrays.equals(user, realm));
        assertFalse(Arrays.equals(user, new SecretBinding("r", SecretScope.USER, "s", "n").associatedData(1, "k2")));
        assertFalse(Arrays.equals(user, new SecretBinding("r", SecretScope.USER, "s", "n").associatedData(2, "k")));
        assertArrayEquals(user, new SecretBinding("r", SecretScope.USER, "s", "n").associatedData(1, "k"));
    }

    @Test
    void aCredentialBoundToAnUpstreamOpensOnlyForThatUpstream() throws Exception {
        SecretEnvelope env = envelope("k1:" + K_OLD, null);
        UpstreamBinding media = UpstreamBinding.of("https://media.example.com:443", CredentialKind.BEARER, null);
        UpstreamBinding elsewhere = UpstreamBinding.of("https://evil.example:443", CredentialKind.BEARER, null);
        SecretBinding bound = new SecretBinding("realm-1", SecretScope.USER, "user-1", "github", media);
        byte[] sealed = env.seal(bound, utf8(PLAINTEXT));
        assertArrayEquals(utf8(PLAINTEXT), env.open(bound, sealed));
        assertEquals(
                Reason.TAG_MISMATCH,
                failure(env, new SecretBinding("realm-1", SecretScope.USER, "user-1", "github", elsewhere), sealed));
        // and a bound row cannot pass for one stored before bindings, nor the other way round
        assertEquals(Reason.TAG_MISMATCH, failure(env, BINDING, sealed));
        assertEquals(Reason.TAG_MISMATCH, failure(env, bound, env.seal(BINDING, utf8(PLAINTEXT))));
    }

    @Test
    void rowsStoredBeforeBindingsKeepTheirAssociatedData() {
        // the version-1 layout as it was before upstream bindings: "keyward-vault" 0x00 version, then
        // key id, realm, scope, subject, name, each with a two-byte length
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        expected.writeBytes(utf8("keyward-vault"));
        expected.write(0);
        expected.write(1);
        for (String field : new String[] {"k", "r", "user", "s", "n"}) {
            expected.write(0);
            expected.write(field.length());
            expected.writeBytes(utf8(field));
        }
        assertArrayEquals(
                expected.toByteArray(), SecretBinding.user("r", "s", "n").associatedData(1, "k"));
        byte[] bound = new SecretBinding(
                        "r", SecretScope.USER, "s", "n", UpstreamBinding.of("", CredentialKind.BEARER, null))
                .associatedData(1, "k");
        assertEquals(expected.size() + 2 + 32, bound.length);
    }

    @Test
    void onlyAUserCredentialHasAnUpstream() {
        UpstreamBinding any = UpstreamBinding.of("", CredentialKind.BEARER, null);
        assertThrows(IllegalArgumentException.class, () -> new SecretBinding("r", SecretScope.REALM, "r", "smtp", any));
    }

    @Test
    void bindingRejectsNullFields() {
        assertThrows(NullPointerException.class, () -> new SecretBinding(null, SecretScope.USER, "s", "n"));
        assertThrows(NullPointerException.class, () -> new SecretBinding("r", null, "s", "n"));
        assertThrows(NullPointerException.class, () -> new SecretBinding("r", SecretScope.USER, null, "n"));
        assertThrows(NullPointerException.class, () -> new SecretBinding("r", SecretScope.USER, "s", null));
    }
}
