package dev.keyward.it.harness;

import dev.keyward.vault.SecretBinding;
import dev.keyward.vault.SecretEnvelope;
import dev.keyward.vault.SecretScope;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Rows of the vault table written and counted straight through JDBC, for rotation tests and benchmarks. */
public final class VaultRows {
    private VaultRows() {}

    /**
     * Inserts {@code perSubject} user credentials for each subject, sealed by {@code envelope} exactly
     * as the vault seals them (its active key id in the KEY_ID column).
     *
     * @return row id to plaintext
     */
    public static Map<String, byte[]> seed(
            KeycloakServer keycloak, String realmId, List<String> subjects, int perSubject, SecretEnvelope envelope)
            throws Exception {
        Map<String, byte[]> expected = new HashMap<>();
        long now = System.currentTimeMillis();
        String keyId = envelope.keyring().activeId();
        try (Connection c = keycloak.sql()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO KEYWARD_VAULT_SECRET (ID, REALM_ID, SCOPE, SUBJECT,"
                            + " NAME, KEY_ID, ENVELOPE, CREATED_AT, UPDATED_AT, ENCRYPTED_AT, VERSION) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)")) {
                for (String subject : subjects) {
                    for (int n = 0; n < perSubject; n++) {
                        String id = UUID.randomUUID().toString();
                        String provider = String.format("provider-%03d", n);
                        byte[] plaintext = ("{\"secret\":\"" + subject + "-" + n + "-" + KeycloakServer.randomSecret()
                                        + "\"}")
                                .getBytes(StandardCharsets.UTF_8);
                        expected.put(id, plaintext);
                        insert.setString(1, id);
                        insert.setString(2, realmId);
                        insert.setString(3, SecretScope.USER.column());
                        insert.setString(4, subject);
                        insert.setString(5, provider);
                        insert.setString(6, keyId);
                        insert.setBytes(7, envelope.seal(SecretBinding.user(realmId, subject, provider), plaintext));
                        insert.setLong(8, now);
                        insert.setLong(9, now);
                        insert.setLong(10, now);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            c.commit();
        }
        return expected;
    }

    /**
     * Inserts one user credential as a version without upstream bindings wrote it: sealed for realm,
     * user and provider only, no UPSTREAM_BINDING column named (it may not exist yet).
     *
     * @return the row id
     */
    public static String insertUnbound(
            KeycloakServer keycloak,
            String realmId,
            String subject,
            String provider,
            byte[] plaintext,
            SecretEnvelope envelope)
            throws Exception {
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        try (Connection c = keycloak.sql();
                PreparedStatement insert = c.prepareStatement("INSERT INTO KEYWARD_VAULT_SECRET (ID,"
                        + " REALM_ID, SCOPE, SUBJECT, NAME, KEY_ID, ENVELOPE, CREATED_AT, UPDATED_AT, ENCRYPTED_AT, VERSION)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)")) {
            insert.setString(1, id);
            insert.setString(2, realmId);
            insert.setString(3, SecretScope.USER.column());
            insert.setString(4, subject);
            insert.setString(5, provider);
            insert.setString(6, envelope.keyring().activeId());
            insert.setBytes(7, envelope.seal(SecretBinding.user(realmId, subject, provider), plaintext));
            insert.setLong(8, now);
            insert.setLong(9, now);
            insert.setLong(10, now);
            insert.executeUpdate();
        }
        return id;
    }

    /** @return UPSTREAM_BINDING by row id (null values kept) */
    public static Map<String, String> upstreamBindings(KeycloakServer keycloak) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = keycloak.sql();
                PreparedStatement s = c.prepareStatement("SELECT ID, UPSTREAM_BINDING FROM KEYWARD_VAULT_SECRET")) {
            ResultSet rs = s.executeQuery();
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    public static final String ROTATION = "/admin/realms/master/keyward-vault/rotation";

    /** @return a random AES-256 key, base64 */
    public static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    /** @return the rotation status (GET on the master realm) */
    public static com.fasterxml.jackson.databind.JsonNode rotationStatus(AdminApi admin) throws Exception {
        return VaultApi.JSON.readTree(admin.exchange("GET", ROTATION, null).body());
    }

    /** Polls until the rotation no longer runs; returns its last status. */
    public static com.fasterxml.jackson.databind.JsonNode awaitRotationEnd(AdminApi admin, java.time.Duration timeout)
            throws Exception {
        java.time.Instant deadline = java.time.Instant.now().plus(timeout);
        while (java.time.Instant.now().isBefore(deadline)) {
            com.fasterxml.jackson.databind.JsonNode status = rotationStatus(admin);
            if (!status.get("state").asText().equals("running")) {
                return status;
            }
            KeycloakServer.sleep(java.time.Duration.ofMillis(200));
        }
        throw new AssertionError("rotation still running after " + timeout);
    }

    /** @return rows per KEY_ID column value */
    public static Map<String, Long> countsByKeyId(KeycloakServer keycloak) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = keycloak.sql();
                PreparedStatement s =
                        c.prepareStatement("SELECT KEY_ID, COUNT(*) FROM KEYWARD_VAULT_SECRET GROUP BY KEY_ID")) {
            ResultSet rs = s.executeQuery();
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }
}
