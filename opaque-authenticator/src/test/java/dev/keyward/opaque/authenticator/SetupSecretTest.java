package dev.keyward.opaque.authenticator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetupSecretTest {
    private static final String GOOD = Base64.getEncoder()
            .encodeToString("a perfectly random 32+ byte secret for tests!".getBytes(StandardCharsets.US_ASCII));

    @Test
    void acceptsBothAlphabetsWithOrWithoutPadding() throws Exception {
        byte[] raw = new byte[33];
        new SecureRandom().nextBytes(raw);
        String std = Base64.getEncoder().encodeToString(raw);
        String url = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        assertArrayEquals(raw, SetupSecret.parse(std));
        assertArrayEquals(raw, SetupSecret.parse(url));
        assertArrayEquals(raw, SetupSecret.parse("  " + std + "\n"));
    }

    @Test
    void refusesEmptyShortNonBase64ExamplesAndRepeats() {
        assertThrows(SetupSecret.InvalidSecretException.class, () -> SetupSecret.parse(null));
        assertThrows(SetupSecret.InvalidSecretException.class, () -> SetupSecret.parse("   "));
        String short31 = Base64.getEncoder().encodeToString(new byte[31]);
        SetupSecret.InvalidSecretException e =
                assertThrows(SetupSecret.InvalidSecretException.class, () -> SetupSecret.parse(short31));
        assertTrue(e.getMessage().contains("31 bytes"));
        assertThrows(SetupSecret.InvalidSecretException.class, () -> SetupSecret.parse("not base64 at all!"));
        for (String example : SetupSecret.KNOWN_EXAMPLES) {
            assertThrows(SetupSecret.InvalidSecretException.class, () -> SetupSecret.parse(example));
            // the same bytes in the other alphabet / with padding are the same example
            String padded = Base64.getEncoder().encodeToString(SetupSecret.decodeBase64(example));
            assertThrows(SetupSecret.InvalidSecretException.class, () -> SetupSecret.parse(padded));
        }
        byte[] zeros = new byte[64];
        assertThrows(
                SetupSecret.InvalidSecretException.class,
                () -> SetupSecret.parse(Base64.getEncoder().encodeToString(zeros)));
    }

    @Test
    void errorMessagesNeverContainTheValue() {
        String almost =
                Base64.getEncoder().encodeToString("short-but-secret-value".getBytes(StandardCharsets.US_ASCII));
        for (String bad : new String[] {almost, "secret$$with$$bad$$chars", SetupSecret.KNOWN_EXAMPLES.get(0)}) {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> DefaultOpaqueKeysProviderFactory.resolveSecret(bad, false, null, null));
            assertFalse(e.getMessage().contains(bad), e.getMessage());
            assertFalse(e.getMessage().contains("short-but-secret"), e.getMessage());
            assertTrue(e.getMessage().contains("--spi-keyward-opaque-keys--default--setup-secret"));
        }
    }

    @Test
    void productionRefusesAMissingSecret() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> DefaultOpaqueKeysProviderFactory.resolveSecret(null, false, null, "/nonexistent"));
        assertTrue(e.getMessage().contains("KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__SETUP_SECRET"));
        assertThrows(
                IllegalStateException.class,
                () -> DefaultOpaqueKeysProviderFactory.resolveSecret("", false, null, null));
    }

    @Test
    void productionAcceptsAGoodSecret() {
        assertEquals(45, DefaultOpaqueKeysProviderFactory.resolveSecret(GOOD, false, null, null).length);
    }

    @Test
    void devModeStillRefusesAnExplicitBadSecret() {
        assertThrows(
                IllegalStateException.class,
                () -> DefaultOpaqueKeysProviderFactory.resolveSecret(
                        SetupSecret.KNOWN_EXAMPLES.get(1), true, null, null));
    }

    @Test
    void devModeGeneratesPersistsAndReusesUnderTheDataDirectory(@TempDir Path home) throws Exception {
        byte[] first = DefaultOpaqueKeysProviderFactory.resolveSecret(null, true, null, home.toString());
        Path file = home.resolve("data/keyward/opaque-setup-secret");
        assertTrue(Files.exists(file));
        assertEquals(32, first.length);
        byte[] second = DefaultOpaqueKeysProviderFactory.resolveSecret(null, true, null, home.toString());
        assertArrayEquals(first, second, "a restart keeps the dev secret, so dev records stay valid");
        try {
            assertEquals(
                    Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(file));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void devModeHonoursAnExplicitFileAndRejectsACorruptOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("custom/secret");
        byte[] s = DefaultOpaqueKeysProviderFactory.resolveSecret(null, true, file.toString(), null);
        assertArrayEquals(s, SetupSecret.parse(Files.readString(file)));
        Files.writeString(file, "tooshort");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> DefaultOpaqueKeysProviderFactory.resolveSecret(null, true, file.toString(), null));
        assertFalse(e.getMessage().contains("tooshort"));
    }

    @Test
    void devModeWithoutAHomeDirectoryUsesAnEphemeralSecret() {
        byte[] a = DefaultOpaqueKeysProviderFactory.resolveSecret(null, true, null, null);
        byte[] b = DefaultOpaqueKeysProviderFactory.resolveSecret(null, true, null, null);
        assertEquals(32, a.length);
        assertFalse(java.util.Arrays.equals(a, b));
    }
}
