package dev.keyward.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyringOptionTest {
    private static final KeyringOption.KeyCheck ANY = (id, key) -> {};
    private static final String A = Base64.getEncoder().encodeToString("a-secret-of-some-length".getBytes());
    private static final String B = Base64.getEncoder().encodeToString("another-secret-entirely".getBytes());

    private static String refused(String ring, String active, KeyringOption.KeyCheck check) {
        KeyringOption.InvalidKeyringException e = assertThrows(
                KeyringOption.InvalidKeyringException.class, () -> KeyringOption.parse(ring, active, check));
        for (String secret : List.of(A, B)) {
            assertFalse(e.getMessage().contains(secret.substring(0, 8)), e.getMessage());
        }
        return e.getMessage();
    }

    @Test
    void parsesIdsInOrderWithTheActiveOne() throws Exception {
        KeyringOption.Parsed ring = KeyringOption.parse(" 1 : " + A + " ,\n2026-q3:" + B + ", ", " 2026-q3 ", ANY);
        assertEquals(List.of("1", "2026-q3"), List.copyOf(ring.keys().keySet()));
        assertEquals("2026-q3", ring.activeId());
        assertArrayEquals("a-secret-of-some-length".getBytes(), ring.keys().get("1"));
        assertFalse(ring.toString().contains(A));
        assertEquals("1", KeyringOption.parse("1:" + A, null, ANY).activeId(), "a ring of one needs no active id");
    }

    @Test
    void refusesEachBrokenRuleByName() {
        assertEquals("has no key", refused(" , ", null, ANY));
        assertTrue(refused(A, null, ANY).contains("without 'id:'"));
        assertTrue(refused("a b:" + A, null, ANY).contains("invalid key id"));
        assertEquals("lists key id '1' twice", refused("1:" + A + ",1:" + B, "1", ANY));
        assertEquals("uses the same key under ids '1' and '2'", refused("1:" + A + ",2:" + A, "1", ANY));
        assertEquals("has 2 keys but no active key id", refused("1:" + A + ",2:" + B, null, ANY));
        assertEquals("does not contain the active key id '3'", refused("1:" + A + ",2:" + B, "3", ANY));
        assertEquals(
                "does not contain the active key id '<not a valid key id>'",
                refused("1:" + A, A + "!", ANY),
                "an active id that could be a pasted secret is not echoed");
        assertEquals("key '1' is not valid base64", refused("1:not*base64", null, ANY));
        assertEquals("key '2' is too short", refused("1:" + A + ",2:" + B, "1", (id, key) -> {
            if (id.equals("2")) {
                throw new KeyringOption.InvalidKeyringException("key '" + id + "' is too short");
            }
        }));
    }
}
