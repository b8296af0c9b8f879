package dev.keyward.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class VaultKeyringTest {
    private static final String K1 = TestKeys.base64("key-1");
    private static final String K2 = TestKeys.base64("key-2");

    /**
     * Parses a ring that must be refused, and checks the message does not quote any key text:
     * start-up failures end up in the console and the log.
     */
    private static InvalidKeyringException refused(String keys, String active, String... keyTexts) {
        InvalidKeyringException e = assertThrows(InvalidKeyringException.class, () -> VaultKeyring.parse(keys, active));
        for (String text : keyTexts) {
            assertFalse(e.getMessage().contains(text), () -> "message echoes key text: " + e.getMessage());
            // a prefix would leak part of the key just as well
            assertFalse(
                    e.getMessage().contains(text.substring(0, 8)),
                    () -> "message echoes key prefix: " + e.getMessage());
        }
        return e;
    }

    private static String b64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void oneKeyIsActiveByDefault() throws Exception {
        VaultKeyring ring = VaultKeyring.parse("k1:" + K1, null);
        assertEquals("k1", ring.activeId());
        assertEquals(List.of("k1"), List.copyOf(ring.ids()));
        assertArrayEquals(TestKeys.bytes("key-1"), ring.activeKey().getEncoded());
        assertEquals("k1", VaultKeyring.parse("k1:" + K1, "  ").activeId());
    }

    @Test
    void severalKeysWithActiveId() throws Exception {
        VaultKeyring ring = VaultKeyring.parse("2025-01:" + K1 + ",2026-11:" + K2, "2026-11");
        assertEquals("2026-11", ring.activeId());
        assertEquals(List.of("2025-01", "2026-11"), List.copyOf(ring.ids()));
        assertArrayEquals(TestKeys.bytes("key-1"), ring.key("2025-01").getEncoded());
        assertArrayEquals(TestKeys.bytes("key-2"), ring.activeKey().getEncoded());
        assertNull(ring.key("other"));
    }

    @Test
    void acceptsUrlSafeBase64WithoutPadding() throws Exception {
        byte[] key = TestKeys.bytes("key-1");
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        VaultKeyring ring = VaultKeyring.parse("a:" + urlSafe, null);
        assertArrayEquals(key, ring.activeKey().getEncoded());
        String standardNoPadding = Base64.getEncoder().withoutPadding().encodeToString(key);
        assertArrayEquals(
                key,
                VaultKeyring.parse("a:" + standardNoPadding, null).activeKey().getEncoded());
    }

    @Test
    void urlSafeAlphabetIsReallyExercised() throws Exception {
        // find a key whose standard encoding has '+' or '/', so the URL-safe form differs from it
        for (int i = 0; ; i++) {
            byte[] key = TestKeys.bytes("url-" + i);
            String standard = b64(key);
            if (standard.contains("+") || standard.contains("/")) {
                String urlSafe = Base64.getUrlEncoder().encodeToString(key);
                assertArrayEquals(
                        key,
                        VaultKeyring.parse("a:" + urlSafe, null).activeKey().getEncoded());
                return;
            }
        }
    }

    @Test
    void ignoresWhitespaceAroundEntries() throws Exception {
        VaultKeyring ring = VaultKeyring.parse("  a : " + K1 + " ,\n b:" + K2 + "\t, ", " b ");
        assertEquals("b", ring.activeId());
        assertEquals(List.of("a", "b"), List.copyOf(ring.ids()));
    }

    @Test
    void refusesNoKey() {
        refused(null, null);
        refused("", null);
        refused("   ", null);
        refused(" , ,", null);
    }

    @Test
    void refusesEntryWithoutId() {
        InvalidKeyringException e = refused(K1, null, K1);
        assertTrue(e.getMessage().contains("id:"));
    }

    @Test
    void refusesInvalidKeyIds() {
        refused("a b:" + K1, null, K1);
        refused("a/b:" + K1, null, K1);
        refused("é:" + K1, null, K1);
        refused(":" + K1, null, K1);
        refused("x".repeat(33) + ":" + K1, null, K1);
    }

    @Test
    void acceptsLongestKeyId() throws Exception {
        assertEquals(
                "x".repeat(32),
                VaultKeyring.parse("x".repeat(32) + ":" + K1, null).activeId());
    }

    @Test
    void refusesDuplicatedId() {
        InvalidKeyringException e = refused("a:" + K1 + ",a:" + K2, "a", K1, K2);
        assertTrue(e.getMessage().contains("'a'"));
    }

    @Test
    void refusesSameKeyUnderTwoIds() {
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(TestKeys.bytes("key-1"));
        refused("a:" + K1 + ",b:" + K1, "a", K1);
        // the same bytes spelt differently are still the same key
        refused("a:" + K1 + ",b:" + urlSafe, "a", K1, urlSafe);
    }

    @Test
    void refusesNonBase64() {
        String bad = "!!not*base64!!not*base64!!not*base64!!xxxxxx";
        InvalidKeyringException e = refused("a:" + bad, null, bad);
        assertTrue(e.getMessage().contains("base64"));
        String withInnerSpace = K1.substring(0, 20) + " " + K1.substring(20);
        refused("a:" + withInnerSpace, null, withInnerSpace);
    }

    @Test
    void refusesWrongKeyLengths() {
        String short16 = b64(Arrays.copyOf(TestKeys.bytes("key-1"), 16));
        byte[] long33 = Arrays.copyOf(TestKeys.bytes("key-1"), 33);
        long33[32] = 0x5a;
        String long33Text = b64(long33);
        refused("a:" + short16, null, short16);
        refused("a:" + long33Text, null, long33Text);
        refused("a:", null);
    }

    @Test
    void refusesDocumentedExampleKeys() {
        for (String example : VaultKeyring.KNOWN_EXAMPLES) {
            InvalidKeyringException e = refused("2026-11:" + example, null, example);
            assertTrue(e.getMessage().contains("example"));
            String urlSafe = example.replace('+', '-').replace('/', '_').replace("=", "");
            refused("2026-11:" + urlSafe, null, urlSafe);
        }
    }

    @Test
    void refusesPrintableAsciiKey() {
        String text = b64("correct horse battery staple 123".getBytes(StandardCharsets.US_ASCII));
        assertEquals(32, Base64.getDecoder().decode(text).length);
        refused("a:" + text, null, text);
    }

    @Test
    void refusesRepeatedByteKey() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 0xA7);
        String text = b64(key);
        refused("a:" + text, null, text);
        String zeros = b64(new byte[32]);
        refused("a:" + zeros, null, zeros);
    }

    @Test
    void refusesCountersAndShortRepeatedPatterns() {
        byte[] counter = new byte[32];
        byte[] high = new byte[32];
        byte[] twice = new byte[32];
        for (int i = 0; i < 32; i++) {
            counter[i] = (byte) i;
            high[i] = (byte) (0x80 + i);
            twice[i] = (byte) (i % 16);
        }
        for (byte[] key : List.of(counter, high, twice)) {
            String text = b64(key);
            refused("a:" + text, null, text);
        }
    }

    @Test
    void refusesSeveralKeysWithoutActiveId() {
        InvalidKeyringException e = refused("a:" + K1 + ",b:" + K2, null, K1, K2);
        assertTrue(e.getMessage().contains("2 keys"));
        refused("a:" + K1 + ",b:" + K2, " ", K1, K2);
    }

    @Test
    void refusesActiveIdNotInRing() {
        InvalidKeyringException e = refused("a:" + K1 + ",b:" + K2, "c", K1, K2);
        assertTrue(e.getMessage().contains("'c'"));
        // an operator who pasted a key into the active-key option must not see it printed back
        refused("a:" + K1, K2, K1, K2);
    }

    @Test
    void toStringHasIdsButNoKeyMaterial() throws Exception {
        VaultKeyring ring = VaultKeyring.parse("a:" + K1 + ",b:" + K2, "b");
        String s = ring.toString();
        assertTrue(s.contains("a") && s.contains("active=b"));
        for (String key : List.of(K1, K2)) {
            assertFalse(s.contains(key));
            assertFalse(s.contains(key.substring(0, 8)));
        }
    }
}
