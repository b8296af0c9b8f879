package dev.keyward.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringLoaderTest {
    private static final String K1 = TestKeys.base64("loader-1");
    private static final String K2 = TestKeys.base64("loader-2");

    @TempDir
    Path home;

    private Path devFile() {
        return home.resolve("data").resolve("keyward").resolve("vault-keys");
    }

    @Test
    void configuredKeysAreUsed() {
        VaultKeyring ring = KeyringLoader.load("a:" + K1 + ",b:" + K2, "b", false, null, home.toString());
        assertEquals("b", ring.activeId());
        assertFalse(Files.exists(home.resolve("data")));
    }

    @Test
    void productionWithoutKeysRefusesToStart() {
        for (String keys : new String[] {null, "", "  "}) {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> KeyringLoader.load(keys, null, false, null, home.toString()));
            assertTrue(e.getMessage().contains("--spi-keyward-vault--default--keys"), e.getMessage());
            assertTrue(e.getMessage().contains("KC_SPI_KEYWARD_VAULT__DEFAULT__KEYS"), e.getMessage());
        }
        assertFalse(Files.exists(home.resolve("data")));
    }

    @Test
    void devModeGeneratesAnOwnerOnlyKeyringAndReusesIt() throws Exception {
        VaultKeyring first = KeyringLoader.load(null, null, true, null, home.toString());
        Path file = devFile();
        assertTrue(Files.isRegularFile(file));
        assertTrue(first.activeId().startsWith("dev-"), first.activeId());
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        try (var stream = Files.list(file.getParent())) {
            assertEquals(1, stream.count(), "temporary file left behind");
        }

        VaultKeyring second = KeyringLoader.load("", null, true, null, home.toString());
        assertEquals(first.activeId(), second.activeId());
        assertArrayEquals(first.activeKey().getEncoded(), second.activeKey().getEncoded());
        // what the first start wrote, the second can read
        SecretBinding binding = SecretBinding.realm("r", "smtp-password");
        byte[] sealed = new SecretEnvelope(first, new SecureRandom()).seal(binding, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, new SecretEnvelope(second, new SecureRandom()).open(binding, sealed));
    }

    @Test
    void devModeHonoursAnExplicitKeysFile() throws Exception {
        Path file = home.resolve("elsewhere").resolve("keys.txt");
        VaultKeyring ring = KeyringLoader.load(null, null, true, file.toString(), home.toString());
        assertTrue(Files.isRegularFile(file));
        assertFalse(Files.exists(devFile()));
        assertEquals(
                ring.activeId(),
                KeyringLoader.load(null, null, true, file.toString(), home.toString())
                        .activeId());
    }

    @Test
    void devModeRefusesABrokenKeysFile() throws Exception {
        Path file = home.resolve("keys.txt");
        String shortKey = TestKeys.base64(new byte[16]);
        Files.writeString(file, "dev:" + shortKey + "\n", StandardCharsets.US_ASCII);
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> KeyringLoader.load(null, null, true, file.toString(), home.toString()));
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        assertFalse(e.getMessage().contains(shortKey), e.getMessage());
    }

    @Test
    void explicitInvalidKeysFailEvenInDevMode() {
        String shortKey = TestKeys.base64(new byte[16]);
        for (String keys : new String[] {"a:" + shortKey, "a:" + K1 + ",b:" + K2, "not-an-entry"}) {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> KeyringLoader.load(keys, null, true, null, home.toString()));
            assertTrue(e.getMessage().contains("--spi-keyward-vault--default--keys"), e.getMessage());
            assertFalse(
                    e.getMessage().contains(shortKey)
                            || e.getMessage().contains(K1)
                            || e.getMessage().contains(K2),
                    e.getMessage());
        }
        // no fallback to a generated keyring
        assertFalse(Files.exists(home.resolve("data")));
    }

    @Test
    void explicitKeysWinOverDevMode() {
        VaultKeyring ring = KeyringLoader.load("prod:" + K1, null, true, null, home.toString());
        assertEquals("prod", ring.activeId());
        assertFalse(Files.exists(home.resolve("data")));
    }
}
