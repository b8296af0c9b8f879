package dev.keyward.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.keyward.it.harness.ItConfig;
import dev.keyward.it.harness.LogScan;
import dev.keyward.it.harness.TestSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other integration test of its JVM (the class orderer in the Failsafe
 * configuration puts it last) and fails if any password, email code, token, key or provider
 * secret those tests used appears in a Keycloak log they wrote ({@code target/*.log}, written
 * since this JVM started). Reports kind, file and line, never the value.
 */
@Order(Integer.MAX_VALUE)
class LogScanIT {

    @Test
    void noSecretTheSuiteUsedReachedAKeycloakLog() throws Exception {
        Path target = Path.of(ItConfig.get("keyward.it.work.dir", "target")).toAbsolutePath();
        Instant jvmStart = ProcessHandle.current().info().startInstant().orElse(Instant.EPOCH);
        List<Path> logs;
        try (Stream<Path> files = Files.list(target)) {
            logs = files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .filter(f -> modifiedAfter(f, jvmStart))
                    .sorted()
                    .toList();
        }
        System.out.printf(
                "log scan: %d secrets recorded %s, %d logs: %s%n",
                TestSecrets.all().size(),
                TestSecrets.counts(),
                logs.size(),
                logs.stream().map(p -> p.getFileName().toString()).toList());
        assertFalse(TestSecrets.all().isEmpty(), "no test recorded a secret: run this with the integration tests");
        assertFalse(logs.isEmpty(), "no Keycloak log written by this run in " + target);
        assertEquals(List.of(), LogScan.scan(logs, TestSecrets.all()));
    }

    private static boolean modifiedAfter(Path file, Instant instant) {
        try {
            return Files.getLastModifiedTime(file).toInstant().isAfter(instant);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
