package dev.keyward.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevSecretFileTest {
    @TempDir
    Path dir;

    @Test
    void createdOnceOwnerOnlyThenReadBack() throws IOException {
        Path file = dir.resolve("data/keyward/secret");
        AtomicInteger made = new AtomicInteger();
        assertEquals(
                "s3cret", DevSecretFile.readOrCreate(file, () -> "s3cret" + (made.incrementAndGet() > 1 ? "!" : "")));
        assertEquals("s3cret", DevSecretFile.readOrCreate(file, () -> "other"));
        assertEquals(1, made.get());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var left = Files.list(file.getParent())) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void aSecretAlreadyThereWins() throws IOException {
        Path file = dir.resolve("secret");
        Files.writeString(file, "first\n");
        assertEquals("first", DevSecretFile.readOrCreate(file, () -> "second"));
    }
}
