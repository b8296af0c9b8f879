package dev.keyward.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyward.it.harness.LogScan;
import dev.keyward.it.harness.TestSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanner LogScanIT relies on finds what it must, and codes only as whole numbers. */
class LogScanTest {

    @Test
    void findsEachKindAndReportsFileAndLine(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("keycloak.log");
        Files.writeString(
                log,
                String.join(
                        "\n",
                        "2026-11-24 04:16:19,503 INFO  [x] started in 1234567 ms",
                        "2026-11-24 04:16:20,014 WARN  [y] bad value Pw-Secret-123 in form",
                        "2026-11-24 04:16:21,000 INFO  [z] code 493817 sent",
                        "2026-11-24 04:16:22,000 INFO  [z] id 14938170"));
        List<LogScan.Finding> found = LogScan.scan(
                List.of(log),
                Map.of(
                        "Pw-Secret-123",
                        TestSecrets.Kind.PASSWORD,
                        "493817",
                        TestSecrets.Kind.CODE,
                        "234567",
                        TestSecrets.Kind.CODE,
                        "not-in-the-log",
                        TestSecrets.Kind.TOKEN));
        assertEquals(
                List.of(
                        new LogScan.Finding(TestSecrets.Kind.PASSWORD, log, 2),
                        new LogScan.Finding(TestSecrets.Kind.CODE, log, 3)),
                found.stream()
                        .sorted(java.util.Comparator.comparingInt(LogScan.Finding::line))
                        .toList());
    }

    @Test
    void recordsSecretFieldsOfRequestBodies() {
        TestSecrets.recordBody(
                "/admin/realms/r/users",
                Map.of(
                        "username",
                        "someone-long",
                        "credentials",
                        List.of(Map.of("type", "password", "value", "user-password-1", "temporary", false))));
        TestSecrets.recordBody("/admin/realms/r/keyward-vault/secrets/x", Map.of("value", "vault-secret-1"));
        TestSecrets.recordConfigured("KC_SPI_KEYWARD_VAULT__DEFAULT__KEYS", "k1:AAAABBBBCCCCDDDD,k2:EEEEFFFFGGGGHHHH");
        Map<String, TestSecrets.Kind> all = TestSecrets.all();
        assertEquals(TestSecrets.Kind.PASSWORD, all.get("user-password-1"));
        assertEquals(TestSecrets.Kind.PROVIDER_SECRET, all.get("vault-secret-1"));
        assertEquals(TestSecrets.Kind.KEY, all.get("EEEEFFFFGGGGHHHH"));
        assertEquals(null, all.get("someone-long"));
    }

    /** A representation sent back with Keycloak's mask in a secret field records no "secret" of stars. */
    @Test
    void maskedValuesAreNoSecrets() {
        TestSecrets.recordBody("/admin/realms/r/clients/x", Map.of("clientId", "app", "secret", "**********"));
        assertEquals(null, TestSecrets.all().get("**********"));
    }
}
