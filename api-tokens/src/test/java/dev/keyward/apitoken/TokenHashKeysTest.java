package dev.keyward.apitoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.common.KeyringOption;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenHashKeysTest {
    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    @Test
    void hashesDependOnTheKeyAndTheWholeText() throws Exception {
        String a = random(32);
        TokenHashKeys ring = TokenHashKeys.parse("t1:" + a + ",t2:" + random(32), "t2");
        assertEquals("t2", ring.activeId());
        TokenText token = TokenText.generate();
        String h1 = ring.hash("t1", token);
        assertEquals(43, h1.length());
        assertEquals(h1, TokenHashKeys.parse("t1:" + a, null).hash("t1", token), "the same key, the same hash");
        assertNotEquals(h1, ring.hash("t2", token));
        assertNotEquals(h1, ring.hash("t1", TokenText.generate()));
        assertTrue(TokenHashKeys.same(h1, ring.hash("t1", token)));
        assertFalse(TokenHashKeys.same(h1, ring.hash("t2", token)));
        assertThrows(IllegalArgumentException.class, () -> ring.hash("t9", token));
    }

    @Test
    void refusesWeakOrDocumentedKeysWithoutPrintingThem() {
        String sixteen = random(16);
        for (String[] c : new String[][] {
            {"t1:" + sixteen, "decodes to 16 bytes"},
            {"t1:" + TokenHashKeys.KNOWN_EXAMPLES.get(0), "example value from the documentation"},
            {"t1:" + TokenHashKeys.KNOWN_EXAMPLES.get(1), "example value from the documentation"},
            {"t1:" + Base64.getEncoder().encodeToString(new byte[32]), "does not look like 32 random bytes"},
            {"t1:" + random(32) + ",t2:" + random(32), "no active key id"},
        }) {
            KeyringOption.InvalidKeyringException e =
                    assertThrows(KeyringOption.InvalidKeyringException.class, () -> TokenHashKeys.parse(c[0], null));
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertFalse(e.getMessage().contains(c[0].substring(3, 20)), "the key was printed");
        }
    }

    @Test
    void productionNeedsKeysAndDevModeMakesOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> JpaApiTokenStoreFactory.loadKeys(null, null, false, null, null));
        assertTrue(e.getMessage().contains("--spi-keyward-api-tokens--default--keys"), e.getMessage());
        java.nio.file.Path file = dir.resolve("keys");
        TokenHashKeys first = JpaApiTokenStoreFactory.loadKeys(null, null, true, file.toString(), null);
        TokenHashKeys again = JpaApiTokenStoreFactory.loadKeys("", null, true, file.toString(), null);
        TokenText token = TokenText.generate();
        assertEquals(first.hash(first.activeId(), token), again.hash(again.activeId(), token), "the dev key is kept");
    }
}
