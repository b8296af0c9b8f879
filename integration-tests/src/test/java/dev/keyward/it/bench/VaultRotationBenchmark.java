package dev.keyward.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.ItConfig;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.VaultRows;
import dev.keyward.vault.SecretEnvelope;
import dev.keyward.vault.VaultKeyring;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Rotation throughput (docs/performance.md, "Credential vault"), not a test: {@code -Pvault-bench}
 * runs only this. A Keycloak of its own with the configured database (PostgreSQL by default),
 * {@code keyward.bench.vault.rows} rows (100,000), rotated back and forth between two keys once per
 * batch size in {@code keyward.bench.vault.batches} (100,500,2000), each after a restart with that
 * batch size. Prints rows/s per batch size and its ratio to the default (500), all from one run.
 */
class VaultRotationBenchmark {
    private static final int ROWS = Integer.parseInt(ItConfig.get("keyward.bench.vault.rows", "100000"));
    private static final List<Integer> BATCHES = parse(ItConfig.get("keyward.bench.vault.batches", "100,500,2000"));
    private static KeycloakServer keycloak;

    @AfterAll
    static void stop() {
        if (keycloak != null) {
            keycloak.shutdown();
        }
    }

    @Test
    void rotationThroughput() throws Exception {
        String a = VaultRows.randomKey();
        String b = VaultRows.randomKey();
        String keys = "a:" + a + ",b:" + b;
        keycloak = KeycloakServer.dedicated("keycloak-vault-bench");
        keycloak.start(
                Map.of("KC_SPI_KEYWARD_VAULT__DEFAULT__KEYS", keys, "KC_SPI_KEYWARD_VAULT__DEFAULT__ACTIVE_KEY", "a"),
                List.of());
        AdminApi admin = new AdminApi(keycloak);
        admin.send("POST", "/admin/realms", Map.of("realm", "vault-bench", "enabled", true));
        String realmId = admin.realm("vault-bench").get("id").asText();
        int perSubject = 100;
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < ROWS / perSubject; i++) {
            subjects.add(java.util.UUID.randomUUID().toString());
        }
        VaultRows.seed(
                keycloak,
                realmId,
                subjects,
                perSubject,
                new SecretEnvelope(VaultKeyring.parse(keys, "a"), new SecureRandom()));

        Map<Integer, Double> rowsPerSecond = new LinkedHashMap<>();
        String target = "a";
        for (int batch : BATCHES) {
            target = target.equals("a") ? "b" : "a";
            keycloak.shutdown();
            keycloak.start(
                    Map.of(
                            "KC_SPI_KEYWARD_VAULT__DEFAULT__KEYS",
                            keys,
                            "KC_SPI_KEYWARD_VAULT__DEFAULT__ACTIVE_KEY",
                            target),
                    List.of("--spi-keyward-vault--default--rotation-batch-size=" + batch));
            admin = new AdminApi(keycloak);
            assertEquals(202, admin.exchange("POST", VaultRows.ROTATION, null).statusCode());
            JsonNode done = VaultRows.awaitRotationEnd(admin, Duration.ofMinutes(10));
            assertEquals(ROWS, done.get("rewritten").asLong(), done.toString());
            double seconds =
                    (done.get("finishedAt").asLong() - done.get("startedAt").asLong()) / 1000.0;
            rowsPerSecond.put(batch, ROWS / seconds);
            System.out.printf("batch %5d: %d rows in %.1f s = %.0f rows/s%n", batch, ROWS, seconds, ROWS / seconds);
            assertEquals(Map.of(target, (long) ROWS), VaultRows.countsByKeyId(keycloak));
        }
        double base = rowsPerSecond.getOrDefault(
                500, rowsPerSecond.values().iterator().next());
        System.out.printf(
                "%nVault rotation, %d rows, %s%n| batch size | rows/s | vs 500 |%n|---|---|---|%n",
                ROWS, keycloak.database().describe());
        rowsPerSecond.forEach((batch, r) -> System.out.printf("| %d | %.0f | %.2f |%n", batch, r, r / base));
    }

    private static List<Integer> parse(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return out;
    }
}
