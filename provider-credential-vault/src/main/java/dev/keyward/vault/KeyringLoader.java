package dev.keyward.vault;

import dev.keyward.common.DevSecretFile;
import dev.keyward.common.KeyringOption;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Arrays;
import org.jboss.logging.Logger;

/**
 * Where the keyring comes from: the configured options, which production requires and which are
 * validated strictly in every mode; or, in {@code start-dev} without options, a generated keyring
 * kept in Keycloak's data directory next to the dev database.
 */
final class KeyringLoader {
    private static final Logger LOG = Logger.getLogger(KeyringLoader.class);
    static final String OPTIONS = "--spi-keyward-vault--default--keys / KC_SPI_KEYWARD_VAULT__DEFAULT__KEYS"
            + " (and --spi-keyward-vault--default--active-key)";

    private KeyringLoader() {}

    /**
     * @param keys the configured keys option, or null
     * @param activeKey the configured active key id, or null
     * @param devMode whether Keycloak runs start-dev
     * @param devKeysFile the configured dev keyring file, or null
     * @param homeDir Keycloak's home directory, or null
     * @return the keyring
     * @throws IllegalStateException to stop start-up; the message never contains a key
     */
    static VaultKeyring load(String keys, String activeKey, boolean devMode, String devKeysFile, String homeDir) {
        if (keys != null && !keys.isBlank()) {
            try {
                return VaultKeyring.parse(keys, activeKey);
            } catch (InvalidKeyringException e) {
                // an explicit keyring is a deliberate choice: wrong is wrong in dev mode too
                throw new IllegalStateException("Keyward vault keyring (" + OPTIONS + ") " + e.getMessage());
            }
        }
        if (!devMode) {
            throw new IllegalStateException("Keyward vault keyring is not configured. Set " + OPTIONS
                    + " to id:base64 entries of 32 random bytes each (openssl rand -base64 32), and keep the keys"
                    + " with your database backups: losing a key loses the credentials encrypted under it.");
        }
        Path file = devKeysFile != null && !devKeysFile.isBlank()
                ? Paths.get(devKeysFile).toAbsolutePath().normalize()
                : Paths.get(homeDir != null ? homeDir : ".", "data", "keyward", "vault-keys")
                        .toAbsolutePath()
                        .normalize();
        try {
            VaultKeyring ring = VaultKeyring.parse(loadOrCreate(file), null);
            LOG.warn("\n*****************************************************************************************\n"
                    + "*  KEYWARD VAULT: NO KEYRING CONFIGURED - DEV MODE ONLY                                 *\n"
                    + "*  Using a generated key stored in " + file + "\n"
                    + "*  Anyone who can read that file and the database can read the stored credentials.     *\n"
                    + "*  Production (kc.sh start) refuses to start without --spi-keyward-vault--default--keys.\n"
                    + "*****************************************************************************************");
            return ring;
        } catch (IOException e) {
            throw new IllegalStateException("Keyward vault: cannot read or create the dev keyring file " + file + ": "
                    + e.getClass().getSimpleName());
        } catch (InvalidKeyringException e) {
            throw new IllegalStateException("Keyward vault: the dev keyring in " + file + " " + e.getMessage());
        }
    }

    private static String loadOrCreate(Path file) throws IOException {
        return DevSecretFile.readOrCreate(file, () -> {
            byte[] key = new byte[VaultKeyring.KEY_BYTES];
            try {
                SecureRandom random = new SecureRandom();
                do {
                    random.nextBytes(key);
                } while (!KeyringOption.looksRandom(key));
                return VaultKeyring.entry("dev-" + LocalDate.now(), key);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        });
    }
}
