package dev.keyward.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * A secret that {@code start-dev} generates once and keeps in Keycloak's data directory (the
 * OPAQUE setup secret, the vault's dev keyring), so a dev server keeps its users' passwords and
 * stored credentials across restarts. Production never comes here: it refuses to start without
 * configured secrets.
 */
public final class DevSecretFile {
    private DevSecretFile() {}

    /**
     * Reads the file, or creates it with {@code content}: owner-only permissions (where the file
     * system has POSIX permissions) set before the secret is written, written to a temporary file
     * and linked into place, so a crash never leaves half a secret, and of two dev servers
     * starting on one home at once the second keeps the first one's secret.
     *
     * @param file the secret file
     * @param content makes the new secret, one line of ASCII
     * @return the file's content, trimmed
     * @throws IOException if the file cannot be read or written
     */
    public static String readOrCreate(Path file, Supplier<String> content) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        if (!Files.exists(target)) {
            Path dir = target.getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                restrictToOwner(tmp);
                Files.writeString(tmp, content.get() + "\n", StandardCharsets.US_ASCII);
                try {
                    Files.createLink(target, tmp);
                } catch (FileAlreadyExistsException e) {
                    // another server created it first: its secret is the one
                } catch (UnsupportedOperationException | IOException e) {
                    if (!Files.exists(target)) {
                        // a file system without hard links
                        try {
                            Files.move(tmp, target);
                        } catch (FileAlreadyExistsException raced) {
                            // another server created it in between: its secret is the one
                        }
                    }
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return Files.readString(target, StandardCharsets.US_ASCII).trim();
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the data directory's ACLs apply
        }
    }
}
