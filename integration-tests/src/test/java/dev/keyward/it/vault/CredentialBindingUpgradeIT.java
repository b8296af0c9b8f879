package dev.keyward.it.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.RecordingUpstream;
import dev.keyward.it.harness.TestSecrets;
import dev.keyward.it.harness.VaultApi;
import dev.keyward.it.harness.VaultRows;
import dev.keyward.vault.SecretEnvelope;
import dev.keyward.vault.VaultKeyring;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The upgrade to upstream bindings on a Keycloak of its own. Rows written by the earlier version (no
 * UPSTREAM_BINDING column, the changeset not run) are bound at the first start to their provider's
 * definition as it stands then, and work through the header proxy; a row whose provider had no
 * definition stays unusable, even once a provider of that id is created. A definition change after
 * the upgrade strands the upgraded row, and neither a restart nor a key rotation binds it again;
 * rotation re-encrypts bound rows under the new key with their binding unchanged.
 */
class CredentialBindingUpgradeIT {
    private static final String REALM = "keyward-upgrade-it";
    private static final String CLI = "upgrade-cli";
    private static final String KEYS_ENV = "KC_SPI_KEYWARD_VAULT__DEFAULT__KEYS";
    private static final String ACTIVE_ENV = "KC_SPI_KEYWARD_VAULT__DEFAULT__ACTIVE_KEY";
    private static final String K1 = VaultRows.randomKey();
    private static final String K2 = VaultRows.randomKey();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static KeycloakServer keycloak;
    private static RecordingUpstream first;
    private static RecordingUpstream second;

    @AfterAll
    static void stop() {
        if (keycloak != null) {
            keycloak.shutdown();
        }
        if (first != null) {
            first.close();
            second.close();
        }
    }

    @Test
    void rowsFromBeforeAreBoundOnceAtTheUpgradeAndStrandedByALaterChange() throws Exception {
        first = new RecordingUpstream(1024);
        second = new RecordingUpstream(1024);
        keycloak = KeycloakServer.dedicated("keycloak-upgrade");
        keycloak.start(Map.of(KEYS_ENV, "k1:" + K1), List.of());
        AdminApi admin = new AdminApi(keycloak);
        admin.createProxyRealm(REALM, CLI, List.of());
        String realmId = admin.realm(REALM).get("id").asText();
        String password = KeycloakServer.randomSecret();
        String alice = admin.createUser(REALM, "alice", "alice@example.test", password);
        admin.send("PUT", providerPath("media"), definition("bearer", null, first.baseUrl()));
        admin.send("PUT", providerPath("search"), definition("api-key-header", "X-Api-Key", first.baseUrl()));
        String realmSecret = "smtp-" + KeycloakServer.randomSecret();
        admin.send(
                "PUT", "/admin/realms/" + REALM + "/keyward-vault/secrets/smtp_password", Map.of("value", realmSecret));
        keycloak.shutdown();

        // the earlier version's schema and rows: no column, changeset keyward-vault-2 not run
        try (Connection c = keycloak.sql();
                Statement s = c.createStatement()) {
            s.executeUpdate("ALTER TABLE KEYWARD_VAULT_SECRET DROP COLUMN UPSTREAM_BINDING");
            assertEquals(1, s.executeUpdate("DELETE FROM DATABASECHANGELOG_KEYWARD_VA WHERE ID = 'keyward-vault-2'"));
        }
        SecretEnvelope k1 = new SecretEnvelope(VaultKeyring.parse("k1:" + K1, null), new SecureRandom());
        String mediaSecret = "media-" + KeycloakServer.randomSecret();
        String searchKey = "search-" + KeycloakServer.randomSecret();
        String media = VaultRows.insertUnbound(keycloak, realmId, alice, "media", credential(mediaSecret), k1);
        String search = VaultRows.insertUnbound(keycloak, realmId, alice, "search", credential(searchKey), k1);
        String orphan = VaultRows.insertUnbound(
                keycloak, realmId, alice, "gone", credential("gone-" + KeycloakServer.randomSecret()), k1);
        TestSecrets.record(TestSecrets.Kind.PROVIDER_SECRET, mediaSecret);
        TestSecrets.record(TestSecrets.Kind.PROVIDER_SECRET, searchKey);

        long logMark = Files.size(keycloak.logFile());
        keycloak.start(Map.of(KEYS_ENV, "k1:" + K1), List.of());
        String log = Files.readString(keycloak.logFile()).substring((int) logMark);
        assertTrue(
                log.contains("2 credential(s) stored before upstream bindings are now bound to their provider's current"
                        + " definition; 1 without a provider definition and 0 undecryptable"),
                log);
        Map<String, String> bindings = VaultRows.upstreamBindings(keycloak);
        assertTrue(bindings.get(media).matches("[0-9a-f]{64}"), bindings.toString());
        assertTrue(bindings.get(search).matches("[0-9a-f]{64}"), bindings.toString());
        assertNull(bindings.get(orphan), "a row without a provider definition got a binding");
        assertEquals(4, bindings.size());
        assertEquals(
                2,
                bindings.values().stream().filter(v -> v == null).count(),
                "the orphan and the realm secret have none");

        admin = new AdminApi(keycloak);
        VaultApi vault = new VaultApi(keycloak);
        String token = vault.userToken(REALM, CLI, "alice", password);
        assertEquals(Map.of("media", true, "search", true, "gone", false), usable(vault, token));
        assertEquals(200, call(token, "media", "/echo/upgraded").statusCode());
        assertEquals(
                "Bearer " + mediaSecret,
                first.seenPath("/api/echo/upgraded").get(0).header("authorization"));
        assertEquals(
                0,
                admin.get("/admin/realms/" + REALM + "/keyward-vault/integrity")
                        .get("undecryptable")
                        .size());

        // a provider created after the upgrade does not adopt the old row
        admin.send("PUT", providerPath("gone"), definition("bearer", null, second.baseUrl()));
        assertEquals(Map.of("media", true, "search", true, "gone", false), usable(vault, token));
        assertEquals(409, call(token, "gone", "/echo/adopted").statusCode());
        assertTrue(second.seen().isEmpty(), "the old row went to a provider created after the upgrade");

        // a change after the upgrade strands the upgraded row
        Map<String, Object> moved = definition("bearer", null, second.baseUrl());
        assertEquals(
                1,
                VaultApi.JSON
                        .readTree(admin.exchange("PUT", providerPath("media") + "?dryRun=true", moved)
                                .body())
                        .get("strandedCredentials")
                        .asInt());
        assertEquals(
                200,
                admin.exchange("PUT", providerPath("media") + "?confirmStranded=1", moved)
                        .statusCode());
        assertEquals(409, call(token, "media", "/echo/moved").statusCode());
        keycloak.shutdown();

        // neither the next start nor a key rotation binds it again; rotation keeps every binding
        Map<String, String> both = Map.of(KEYS_ENV, "k1:" + K1 + ",k2:" + K2, ACTIVE_ENV, "k2");
        keycloak.start(both, List.of());
        admin = new AdminApi(keycloak);
        vault = new VaultApi(keycloak);
        token = vault.userToken(REALM, CLI, "alice", password);
        assertEquals(409, call(token, "media", "/echo/restarted").statusCode());
        assertEquals(202, admin.exchange("POST", VaultRows.ROTATION, null).statusCode());
        JsonNode done = VaultRows.awaitRotationEnd(admin, Duration.ofMinutes(2));
        assertEquals("done", done.get("state").asText(), done.toString());
        assertEquals(0, done.get("failed").asLong(), done.toString());
        assertEquals(Map.of("k2", 4L), VaultRows.countsByKeyId(keycloak));
        assertEquals(bindings, VaultRows.upstreamBindings(keycloak), "rotation changed a binding");

        assertEquals(409, call(token, "media", "/echo/rotated").statusCode());
        assertTrue(second.seen().isEmpty(), "a stranded row reached the new origin: " + second.seen());
        first.forget();
        assertEquals(200, call(token, "search", "/echo/rotated").statusCode());
        assertEquals(searchKey, first.seenPath("/api/echo/rotated").get(0).header("x-api-key"));
        assertEquals(
                0,
                admin.get("/admin/realms/" + REALM + "/keyward-vault/integrity")
                        .get("undecryptable")
                        .size());

        String again = "media-" + KeycloakServer.randomSecret();
        assertEquals(
                200,
                vault.userJson("PUT", REALM, "credentials/media", token, Map.of("secret", again))
                        .status());
        assertEquals(200, call(token, "media", "/echo/again").statusCode());
        assertEquals(
                "Bearer " + again, second.seenPath("/api/echo/again").get(0).header("authorization"));
        assertFalse(Files.readString(keycloak.logFile()).contains(mediaSecret), "a secret reached the log");
    }

    private static byte[] credential(String secret) {
        return ("{\"secret\":\"" + secret + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> definition(String kind, String credentialName, String upstream) {
        Map<String, Object> proxy = new LinkedHashMap<>();
        proxy.put("baseUrl", upstream + "/api");
        proxy.put("allowHttp", true);
        proxy.put("pathPrefixes", List.of("/echo"));
        proxy.put("privateRanges", List.of("127.0.0.1/32"));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("displayName", kind);
        d.put("credentialKind", kind);
        if (credentialName != null) {
            d.put("credentialName", credentialName);
        }
        d.put("proxy", proxy);
        return d;
    }

    private static String providerPath(String id) {
        return "/admin/realms/" + REALM + "/keyward-vault/providers/" + id;
    }

    private static Map<String, Boolean> usable(VaultApi vault, String token) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        vault.user("GET", REALM, "credentials", token, null, null)
                .json()
                .forEach(
                        r -> out.put(r.get("provider").asText(), r.get("usable").asBoolean()));
        return out;
    }

    private HttpResponse<String> call(String token, String provider, String path) throws Exception {
        URI uri = keycloak.baseUri().resolve("/realms/" + REALM + "/header-proxy/" + provider + path);
        return HTTP.send(
                HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
