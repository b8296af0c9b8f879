package dev.keyward.opaque.authenticator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.opaque.OpaqueSuite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The setup-secret keyring option and its relation to the single {@code setup-secret}. */
class SetupKeyringTest {
    private static final byte[] FIRST = "the first setup secret, 32+ bytes long".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SECOND = "the second setup secret, also 32+ bytes".getBytes(StandardCharsets.US_ASCII);
    private static final String ONE = Base64.getEncoder().encodeToString(FIRST);
    private static final String TWO = Base64.getEncoder().encodeToString(SECOND);

    private static SetupKeyring resolve(String single, String ring, String active) {
        return DefaultOpaqueKeysProviderFactory.resolveKeyring(single, ring, active, false, null, null);
    }

    private static String refused(String single, String ring, String active) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> resolve(single, ring, active));
        for (String secret : List.of(ONE, TWO)) {
            assertFalse(e.getMessage().contains(secret.substring(0, 10)), e.getMessage());
        }
        return e.getMessage();
    }

    @Test
    void theSingleSecretIsKeyIdOne() {
        SetupKeyring ring = resolve(ONE, null, null);
        assertEquals("1", ring.activeId());
        assertEquals(List.of("1"), List.copyOf(ring.ids()));
        assertArrayEquals(FIRST, ring.secret("1"));
        assertEquals("1", resolve(ONE, null, "1").activeId(), "naming id 1 for the single secret is fine");
    }

    @Test
    void aRingWithAnActiveId() {
        SetupKeyring ring = resolve(null, "1:" + ONE + ",2:" + TWO, "2");
        assertEquals("2", ring.activeId());
        assertEquals(List.of("1", "2"), List.copyOf(ring.ids()));
        assertArrayEquals(SECOND, ring.secret("2"));
        assertNull(ring.secret("3"));
        assertFalse(ring.toString().contains(ONE));
    }

    /** Id 1 in a ring derives exactly what the single secret derived: records made before rotation keep working. */
    @Test
    void keyOneOfARingDerivesWhatTheSingleSecretDid() {
        byte[] single = SetupDerivation.derive(
                        resolve(ONE, null, null).secret("1"), OpaqueSuite.RISTRETTO255_SHA512, "r")
                .unknownUserKey();
        byte[] inRing = SetupDerivation.derive(
                        resolve(null, "1:" + ONE + ",2:" + TWO, "2").secret("1"), OpaqueSuite.RISTRETTO255_SHA512, "r")
                .unknownUserKey();
        assertArrayEquals(single, inRing);
    }

    @Test
    void refusesWhatProductionMustNotRunWithNeverPrintingASecret() {
        String shortOne =
                Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        assertTrue(refused(null, "1:" + ONE + ",2:" + shortOne, "2")
                .contains("secret '2' decodes to 16 bytes; at least 32 are required"));
        String example = SetupSecret.KNOWN_EXAMPLES.get(0);
        assertTrue(refused(null, "1:" + ONE + ",2:" + example, "2")
                .contains("secret '2' is an example value from the documentation"));
        assertTrue(refused(null, "1:" + ONE + ",1:" + TWO, "1").contains("lists key id '1' twice"));
        assertTrue(refused(null, "1:" + ONE + ",2:" + TWO, "3").contains("does not contain the active key id '3'"));
        assertTrue(refused(null, "1:" + ONE + ",2:" + TWO, null).contains("has 2 keys but no active key id"));
        assertTrue(refused(ONE, "2:" + TWO, null).contains("not both"));
        assertTrue(refused(ONE, null, "2").contains("needs the keyring"));
        String message = refused(null, "1:" + ONE + ",2:" + shortOne, "2");
        assertTrue(message.contains("--spi-keyward-opaque-keys--default--setup-secrets"), message);
    }

    @Test
    void devModeKeepsItsGeneratedFileAsKeyIdOne(@TempDir Path home) {
        SetupKeyring ring =
                DefaultOpaqueKeysProviderFactory.resolveKeyring(null, null, null, true, null, home.toString());
        assertEquals("1", ring.activeId());
        SetupKeyring again =
                DefaultOpaqueKeysProviderFactory.resolveKeyring(null, null, null, true, null, home.toString());
        assertArrayEquals(ring.secret("1"), again.secret("1"));
        SetupKeyring configured = DefaultOpaqueKeysProviderFactory.resolveKeyring(
                null, "1:" + ONE + ",2:" + TWO, "2", true, null, home.toString());
        assertEquals("2", configured.activeId(), "a configured ring wins in dev mode too");
    }
}
