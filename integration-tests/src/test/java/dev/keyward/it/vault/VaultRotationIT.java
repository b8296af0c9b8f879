package dev.keyward.it.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.VaultRows;
import dev.keyward.vault.SecretBinding;
import dev.keyward.vault.SecretEnvelope;
import dev.keyward.vault.SecretScope;
import dev.keyward.vault.VaultKeyring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Key rotation on a Keycloak of its own: 20,000 rows under key k1; a start without k1 is refused
 * while rows need it; with k2 active, a rotation is started, the Keycloak JVM is killed (SIGKILL)
 * in the middle, Keycloak is started again and the rotation resumed. Then every row decrypts under
 * k2 to exactly what was stored, none is lost or doubled, a row written during the rotation is
 * under k2, and k1 can leave the configuration.
 */
class VaultRotationIT {
    private static final String REALM = "keyward-rotation-it";
    private static final int USERS = 200;
    private static final int PER_USER = 100;
    private static final String KEYS_ENV = "KC_SPI_KEYWARD_VAULT__DEFAULT__KEYS";
    private static final String ACTIVE_ENV = "KC_SPI_KEYWARD_VAULT__DEFAULT__ACTIVE_KEY";
    private static final List<String> ARGS = List.of("--spi-keyward-vault--default--rotation-batch-size=100");

    private static final String K1 = VaultRows.randomKey();
    private static final String K2 = VaultRows.randomKey();
    private static KeycloakServer keycloak;

    @AfterAll
    static void stop() {
        if (keycloak != null) {
            keycloak.shutdown();
        }
    }

    @Test
    void aRotationKilledMidwayResumesAndLosesNothing() throws Exception {
        keycloak = KeycloakServer.dedicated("keycloak-rotation");
        keycloak.start(Map.of(KEYS_ENV, "k1:" + K1), ARGS);
        AdminApi admin = new AdminApi(keycloak);
        admin.send("POST", "/admin/realms", Map.of("realm", REALM, "enabled", true));
        String realmId = admin.realm(REALM).get("id").asText();
        List<String> userIds = importUsers(admin);
        Map<String, byte[]> expected = VaultRows.seed(
                keycloak,
                realmId,
                userIds,
                PER_USER,
                new SecretEnvelope(VaultKeyring.parse("k1:" + K1, null), new SecureRandom()));
        Map<String, String> realmSecrets = new TreeMap<>();
        for (String name : List.of("smtp_password", "idp_secret")) {
            realmSecrets.put(name, "realm-" + KeycloakServer.randomSecret());
            admin.send(
                    "PUT",
                    "/admin/realms/" + REALM + "/keyward-vault/secrets/" + name,
                    Map.of("value", realmSecrets.get(name)));
        }
        int total = expected.size() + realmSecrets.size();
        assertEquals(Map.of("k1", (long) total), VaultRows.countsByKeyId(keycloak));

        // k1 still holds every row: a configuration without it must not start
        keycloak.shutdown();
        long logMark = Files.size(keycloak.logFile());
        Process refused = keycloak.launch(Map.of(KEYS_ENV, "k2:" + K2), ARGS);
        assertTrue(refused.waitFor(4, TimeUnit.MINUTES), "start without k1 did not end");
        assertNotEquals(0, refused.exitValue());
        String refusal = Files.readString(keycloak.logFile()).substring((int) logMark);
        assertTrue(
                refusal.contains("are encrypted under key id(s) that are not in the keyring")
                        && refusal.contains("k1=" + total),
                refusal);
        assertFalse(refusal.contains(K1) || refusal.contains(K2), "a key reached the log");

        Map<String, String> both = Map.of(KEYS_ENV, "k1:" + K1 + ",k2:" + K2, ACTIVE_ENV, "k2");
        keycloak.start(both, ARGS);
        admin = new AdminApi(keycloak);
        String rotation = VaultRows.ROTATION;
        assertEquals(202, admin.exchange("POST", rotation, null).statusCode());
        assertEquals(409, admin.exchange("POST", rotation, null).statusCode(), "a second rotation started");
        // written while the rotation runs: under the new key at once
        String during = "during-" + KeycloakServer.randomSecret();
        admin.send("PUT", "/admin/realms/" + REALM + "/keyward-vault/secrets/written_during", Map.of("value", during));
        realmSecrets.put("written_during", during);
        total++;
        long rotated = awaitRotated(admin, rotation, 2000);
        keycloak.kill();

        Map<String, Long> afterKill = VaultRows.countsByKeyId(keycloak);
        System.out.printf("killed with %d rows rotated (status), %s in the database%n", rotated, afterKill);
        assertEquals(
                total, afterKill.values().stream().mapToLong(Long::longValue).sum(), "rows lost or added by the kill");
        assertTrue(afterKill.getOrDefault("k1", 0L) > 0, "the rotation had finished before the kill: " + afterKill);

        keycloak.start(both, ARGS);
        admin = new AdminApi(keycloak);
        JsonNode resumed = VaultRows.rotationStatus(admin);
        assertNotEquals("running", resumed.get("state").asText(), resumed.toString());
        assertEquals(
                afterKill.get("k1").longValue(),
                resumed.get("rowsByKeyId").get("k1").asLong());
        assertEquals(202, admin.exchange("POST", rotation, null).statusCode());
        JsonNode done = VaultRows.awaitRotationEnd(admin, Duration.ofMinutes(5));
        assertEquals("done", done.get("state").asText(), done.toString());
        assertEquals(0, done.get("failed").asLong(), done.toString());
        assertEquals(Map.of("k2", (long) total), VaultRows.countsByKeyId(keycloak));
        System.out.printf("resumed rotation: %s%n", done);

        verifyEveryRow(realmId, expected, realmSecrets);

        // nothing needs k1 any more: it can leave the configuration
        keycloak.shutdown();
        keycloak.start(Map.of(KEYS_ENV, "k2:" + K2), ARGS);
        JsonNode keys = new AdminApi(keycloak).get("/admin/realms/master/keyward-vault/keys");
        assertEquals("k2", keys.get("activeKeyId").asText());
        assertEquals(total, keys.get("rowsByKeyId").get("k2").asLong());
    }

    private static List<String> importUsers(AdminApi admin) {
        List<Map<String, Object>> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(Map.of("username", String.format("user%03d", i), "enabled", true));
        }
        admin.send(
                "POST",
                "/admin/realms/" + REALM + "/partialImport",
                Map.of("ifResourceExists", "FAIL", "users", users));
        List<String> ids = new ArrayList<>();
        admin.get("/admin/realms/" + REALM + "/users?briefRepresentation=true&max=" + (USERS + 10))
                .forEach(u -> ids.add(u.get("id").asText()));
        assertEquals(USERS, ids.size());
        return ids;
    }

    /** Polls the status until at least {@code rows} rows are under k2; returns that count. */
    private static long awaitRotated(AdminApi admin, String rotation, long rows) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            JsonNode status = VaultRows.rotationStatus(admin);
            long k2 = status.get("rowsByKeyId").path("k2").asLong();
            if (k2 >= rows) {
                return k2;
            }
            assertEquals("running", status.get("state").asText(), status.toString());
            KeycloakServer.sleep(Duration.ofMillis(50));
        }
        throw new AssertionError("rotation did not reach " + rows + " rows");
    }

    /** Every row: header and column say k2, it opens under k2 for its own binding, and holds what was stored. */
    private static void verifyEveryRow(String realmId, Map<String, byte[]> expected, Map<String, String> realmSecrets)
            throws Exception {
        SecretEnvelope ring = new SecretEnvelope(VaultKeyring.parse("k2:" + K2, null), new SecureRandom());
        int users = 0;
        Map<String, String> seenRealmSecrets = new TreeMap<>();
        try (Connection c = keycloak.sql();
                PreparedStatement s = c.prepareStatement(
                        "SELECT ID, REALM_ID, SCOPE, SUBJECT, NAME, KEY_ID, ENVELOPE FROM KEYWARD_VAULT_SECRET")) {
            ResultSet rs = s.executeQuery();
            while (rs.next()) {
                assertEquals(realmId, rs.getString(2));
                assertEquals("k2", rs.getString(6));
                byte[] envelope = rs.getBytes(7);
                assertEquals("k2", SecretEnvelope.keyId(envelope));
                SecretScope scope =
                        SecretScope.USER.column().equals(rs.getString(3)) ? SecretScope.USER : SecretScope.REALM;
                byte[] plaintext =
                        ring.open(new SecretBinding(realmId, scope, rs.getString(4), rs.getString(5)), envelope);
                if (scope == SecretScope.USER) {
                    users++;
                    assertArrayEquals(expected.get(rs.getString(1)), plaintext, "row " + rs.getString(1));
                } else {
                    seenRealmSecrets.put(rs.getString(5), new String(plaintext, StandardCharsets.UTF_8));
                }
            }
        }
        assertEquals(expected.size(), users);
        assertEquals(realmSecrets, seenRealmSecrets);
    }
}
