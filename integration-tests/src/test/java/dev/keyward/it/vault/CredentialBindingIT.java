package dev.keyward.it.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import dev.keyward.it.harness.RecordingUpstream;
import dev.keyward.it.harness.VaultApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user's stored credential goes only where the user stored it for (issue 17, item 7): a realm
 * admin who points a provider at another origin ({@code second}, a second {@link RecordingUpstream}
 * on another port) or changes its credential kind or name strands the stored credentials: the
 * header proxy answers 409 {@code credential_unusable} and neither upstream sees a request, the
 * listing says {@code usable: false}, and the user's next PUT binds the credential to the new
 * definition. The admin API says how many a change strands before making it, and wants that count
 * confirmed; a change past the admin API (the realm's attributes) is refused at use just the same.
 */
@KeywardTest
class CredentialBindingIT {
    private static final String REALM = "keyward-binding-it";
    private static final String CLI = "binding-cli";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static VaultApi vault;
    private static RecordingUpstream first;
    private static RecordingUpstream second;
    private static String aliceId;
    private static String alicePassword;

    @BeforeAll
    static void setUp() throws IOException {
        first = new RecordingUpstream(1024);
        second = new RecordingUpstream(1024);
        admin.createProxyRealm(REALM, CLI, List.of());
        alicePassword = KeycloakServer.randomSecret();
        aliceId = admin.createUser(REALM, "alice", "alice@example.test", alicePassword);
    }

    @AfterAll
    static void tearDown() {
        first.close();
        second.close();
    }

    @BeforeEach
    void forget() {
        first.forget();
        second.forget();
    }

    @Test
    void anotherOriginStrandsTheCredentialUntilTheUserStoresItAgain() throws Exception {
        put("media", definition("bearer", null, first.baseUrl() + "/api"), 201);
        String token = token();
        String stored = "media-" + KeycloakServer.randomSecret();
        store(token, "media", stored);
        assertEquals(200, call(token, "media", "/echo/before").statusCode());
        assertEquals("Bearer " + stored, only(first, "/api/echo/before").header("authorization"));
        assertEquals(Boolean.TRUE, usable(token, "media"));
        assertEquals(first.baseUrl(), origin(token, "media"));

        Map<String, Object> moved = definition("bearer", null, second.baseUrl() + "/api");
        // the dry run counts and changes nothing
        assertEquals(1, strandedBy("media", moved, "?dryRun=true", 200));
        assertEquals(
                first.baseUrl() + "/api",
                provider("media").get("proxy").get("baseUrl").asText());
        // the change itself wants the count confirmed, and changes nothing without it
        HttpResponse<String> unconfirmed = admin.exchange("PUT", providerPath("media"), moved);
        assertEquals(409, unconfirmed.statusCode(), unconfirmed.body());
        JsonNode refusal = VaultApi.JSON.readTree(unconfirmed.body());
        assertEquals("credentials_would_be_stranded", refusal.get("error").asText());
        assertEquals(1, refusal.get("strandedCredentials").asInt());
        assertEquals(
                409,
                admin.exchange("PUT", providerPath("media") + "?confirmStranded=0", moved)
                        .statusCode());
        assertEquals(
                first.baseUrl() + "/api",
                provider("media").get("proxy").get("baseUrl").asText());
        assertEquals(
                200, call(token, "media", "/echo/still").statusCode(), "a refused change left the credential usable");
        first.forget();
        assertEquals(1, strandedBy("media", moved, "?confirmStranded=1", 200));
        assertEquals(
                second.baseUrl() + "/api",
                provider("media").get("proxy").get("baseUrl").asText());

        long logMark = Files.size(keycloak.logFile());
        HttpResponse<String> refused = call(token, "media", "/echo/after");
        assertRefused(409, "credential_unusable", refused);
        assertTrue(refused.body().contains("store it again"), refused.body());
        assertTrue(second.seen().isEmpty(), "the new origin got a request: " + second.seen());
        assertTrue(first.seen().isEmpty(), "the old origin got a request: " + first.seen());
        assertEquals(Boolean.FALSE, usable(token, "media"));
        JsonNode adminView = admin.get("/admin/realms/" + REALM + "/keyward-vault/users/" + aliceId + "/credentials");
        adminView.forEach(row -> {
            if (row.get("provider").asText().equals("media")) {
                assertFalse(row.get("usable").asBoolean(), row.toString());
            }
        });
        assertFalse(adminView.toString().contains(stored));

        String rowId = rowId("media");
        String log = awaitLog(logMark, "row " + rowId);
        assertTrue(log.contains("in realm " + realmId()) && log.contains("media"), log);
        assertFalse(log.contains(stored), "the secret reached the log");
        String metrics = send(HttpRequest.newBuilder(keycloak.managementUri().resolve("/metrics")))
                .body();
        assertTrue(
                metrics.lines()
                        .anyMatch(l -> l.startsWith("keyward_proxy_stranded_credentials_total{")
                                && l.contains("provider=\"media\"")
                                && l.contains("realm=\"" + REALM + "\"")),
                "no counter on /metrics");

        // the user can see where a credential stored now would go
        assertEquals(second.baseUrl(), origin(token, "media"));

        // stored again, it is bound to the new origin and goes there
        String again = "media-" + KeycloakServer.randomSecret();
        assertEquals(
                200,
                vault.userJson("PUT", REALM, "credentials/media", token, Map.of("secret", again))
                        .status());
        assertEquals(Boolean.TRUE, usable(token, "media"));
        assertEquals(200, call(token, "media", "/echo/again").statusCode());
        assertEquals("Bearer " + again, only(second, "/api/echo/again").header("authorization"));
        assertTrue(first.seen().isEmpty());
    }

    @Test
    void anotherCredentialNameOrKindStrandsItToo() throws Exception {
        put("search", definition("api-key-header", "X-Api-Key", first.baseUrl() + "/api"), 201);
        String token = token();
        String key = "key-" + KeycloakServer.randomSecret();
        store(token, "search", key);
        assertEquals(200, call(token, "search", "/echo/key").statusCode());
        assertEquals(key, only(first, "/api/echo/key").header("x-api-key"));

        // header names are case-insensitive: the same placement, nothing stranded
        assertEquals(
                0, strandedBy("search", definition("api-key-header", "x-api-key", first.baseUrl() + "/api"), "", 200));
        Map<String, Object> renamed = definition("api-key-header", "X-Other-Key", first.baseUrl() + "/api");
        assertEquals(1, strandedBy("search", renamed, "?dryRun=true", 200));
        assertEquals(1, strandedBy("search", renamed, "?confirmStranded=1", 200));
        first.forget();
        assertRefused(409, "credential_unusable", call(token, "search", "/echo/renamed"));
        assertTrue(first.seen().isEmpty(), "the key went out under the new name: " + first.seen());

        String key2 = "key-" + KeycloakServer.randomSecret();
        store(token, "search", key2);
        assertEquals(200, call(token, "search", "/echo/renamed").statusCode());
        RecordingUpstream.Seen seen = only(first, "/api/echo/renamed");
        assertEquals(key2, seen.header("x-other-key"));
        assertEquals(null, seen.header("x-api-key"));

        // same secret shape, another kind: without the binding it would go out as Authorization: Bearer
        Map<String, Object> bearer = definition("bearer", null, first.baseUrl() + "/api");
        assertEquals(1, strandedBy("search", bearer, "?confirmStranded=5", 200));
        first.forget();
        assertRefused(409, "credential_unusable", call(token, "search", "/echo/bearer"));
        assertTrue(first.seen().isEmpty(), "the key went out as a bearer token: " + first.seen());
        store(token, "search", key2);
        assertEquals(200, call(token, "search", "/echo/bearer").statusCode());
        assertEquals("Bearer " + key2, only(first, "/api/echo/bearer").header("authorization"));
    }

    @Test
    void changesThatKeepOriginKindAndNameStrandNothing() throws Exception {
        put("files", definition("bearer", null, first.baseUrl() + "/api"), 201);
        String token = token();
        String stored = "files-" + KeycloakServer.randomSecret();
        store(token, "files", stored);

        // the same origin with another base path (and a trailing slash), other prefixes, a static header, another name
        Map<String, Object> changed = definition("bearer", null, first.baseUrl() + "/");
        changed.put("displayName", "Files, renamed");
        @SuppressWarnings("unchecked")
        Map<String, Object> proxy = (Map<String, Object>) changed.get("proxy");
        proxy.put("pathPrefixes", List.of("/api/echo", "/api/files/"));
        proxy.put("staticHeaders", Map.of("X-Client", "keyward"));
        assertEquals(0, strandedBy("files", changed, "?dryRun=true", 200));
        assertEquals(0, strandedBy("files", changed, "", 200), "no confirmation needed when nothing is stranded");

        assertEquals(200, call(token, "files", "/api/echo/kept").statusCode());
        RecordingUpstream.Seen seen = only(first, "/api/echo/kept");
        assertEquals("Bearer " + stored, seen.header("authorization"));
        assertEquals("keyward", seen.header("x-client"));
        assertEquals(Boolean.TRUE, usable(token, "files"));
    }

    @Test
    void aDefinitionChangedPastTheAdminApiIsRefusedAtUseAndChangingItBackRestoresIt() throws Exception {
        put("imported", definition("bearer", null, first.baseUrl() + "/api"), 201);
        String token = token();
        String stored = "imported-" + KeycloakServer.randomSecret();
        store(token, "imported", stored);

        // what a realm import, or an admin writing the realm's attributes directly, does: no count, no confirmation
        setAttribute("keyward.vault.provider.imported", definition("bearer", null, second.baseUrl() + "/api"));
        assertRefused(409, "credential_unusable", call(token, "imported", "/echo/moved"));
        assertTrue(second.seen().isEmpty() && first.seen().isEmpty(), "an upstream got a request");
        assertEquals(Boolean.FALSE, usable(token, "imported"));

        // back where the user stored it for: usable again, without storing it again
        setAttribute("keyward.vault.provider.imported", definition("bearer", null, first.baseUrl() + "/api"));
        assertEquals(200, call(token, "imported", "/echo/back").statusCode());
        assertEquals("Bearer " + stored, only(first, "/api/echo/back").header("authorization"));
    }

    @Test
    void mistypedQueryParametersChangeNothing() throws Exception {
        put("typo", definition("bearer", null, first.baseUrl() + "/api"), 201);
        store(token(), "typo", "typo-" + KeycloakServer.randomSecret());
        Map<String, Object> moved = definition("bearer", null, second.baseUrl() + "/api");
        for (String query : List.of("?dryRun=1", "?dryRun=yes", "?confirmStranded=all", "?confirmStranded=-1")) {
            HttpResponse<String> r = admin.exchange("PUT", providerPath("typo") + query, moved);
            assertRefused(400, "invalid_request", r);
        }
        assertEquals(
                first.baseUrl() + "/api",
                provider("typo").get("proxy").get("baseUrl").asText());
    }

    // ---- helpers

    private static Map<String, Object> definition(String kind, String credentialName, String baseUrl) {
        Map<String, Object> proxy = new LinkedHashMap<>();
        proxy.put("baseUrl", baseUrl);
        proxy.put("allowHttp", true);
        proxy.put("pathPrefixes", List.of("/echo"));
        proxy.put("methods", List.of("GET"));
        proxy.put("privateRanges", List.of("127.0.0.1/32"));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("displayName", kind + " provider");
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

    private static void put(String id, Map<String, Object> definition, int status) {
        HttpResponse<String> r = admin.exchange("PUT", providerPath(id), definition);
        assertEquals(status, r.statusCode(), r.body());
    }

    /** PUTs a definition with this query; returns the answer's {@code strandedCredentials}. */
    private static int strandedBy(String id, Map<String, Object> definition, String query, int status)
            throws IOException {
        HttpResponse<String> r = admin.exchange("PUT", providerPath(id) + query, definition);
        assertEquals(status, r.statusCode(), r.body());
        return VaultApi.JSON.readTree(r.body()).get("strandedCredentials").asInt();
    }

    private static JsonNode provider(String id) {
        return admin.get(providerPath(id));
    }

    private static void setAttribute(String name, Map<String, Object> definition) throws IOException {
        Map<String, String> attributes = new LinkedHashMap<>();
        admin.realm(REALM)
                .path("attributes")
                .fields()
                .forEachRemaining(a -> attributes.put(a.getKey(), a.getValue().asText()));
        attributes.put(name, VaultApi.JSON.writeValueAsString(definition));
        admin.updateRealm(REALM, Map.of("attributes", attributes));
    }

    private static String token() {
        return vault.userToken(REALM, CLI, "alice", alicePassword);
    }

    private static void store(String token, String provider, String secret) {
        VaultApi.Answer a = vault.userJson("PUT", REALM, "credentials/" + provider, token, Map.of("secret", secret));
        assertTrue(a.status() == 201 || a.status() == 200, a.body());
        assertTrue(a.json().get("usable").asBoolean(), a.body());
    }

    /** The listing's {@code usable} for one provider. */
    private static Boolean usable(String token, String provider) {
        for (JsonNode row :
                vault.user("GET", REALM, "credentials", token, null, null).json()) {
            if (row.get("provider").asText().equals(provider)) {
                return row.get("usable").asBoolean();
            }
        }
        return null;
    }

    /** The user API's {@code origin} of a provider. */
    private static String origin(String token, String provider) {
        for (JsonNode p :
                vault.user("GET", REALM, "providers", token, null, null).json()) {
            if (p.get("id").asText().equals(provider)) {
                return p.get("origin").asText();
            }
        }
        return null;
    }

    private static HttpResponse<String> call(String token, String provider, String path) throws Exception {
        URI uri = keycloak.baseUri().resolve("/realms/" + REALM + "/header-proxy/" + provider + path);
        return send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static RecordingUpstream.Seen only(RecordingUpstream upstream, String rawPath) {
        List<RecordingUpstream.Seen> seen = upstream.seenPath(rawPath);
        assertEquals(1, seen.size(), "requests for " + rawPath + ": " + upstream.seen());
        return seen.get(0);
    }

    private static void assertRefused(int status, String error, HttpResponse<String> r) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(error, VaultApi.JSON.readTree(r.body()).path("error").asText(), r.body());
    }

    private static String realmId() {
        return admin.realm(REALM).get("id").asText();
    }

    private static String rowId(String provider) throws Exception {
        try (Connection c = keycloak.sql();
                PreparedStatement s =
                        c.prepareStatement("SELECT ID FROM KEYWARD_VAULT_SECRET WHERE SUBJECT = ? AND NAME = ?")) {
            s.setString(1, aliceId);
            s.setString(2, provider);
            ResultSet rs = s.executeQuery();
            assertTrue(rs.next(), "no row for " + provider);
            return rs.getString(1);
        }
    }

    /** The log written since {@code mark}, once it holds {@code text} (Keycloak's log is written asynchronously). */
    private static String awaitLog(long mark, String text) throws Exception {
        String log = "";
        for (int i = 0; i < 50; i++) {
            log = Files.readString(keycloak.logFile()).substring((int) mark);
            if (log.contains(text)) {
                return log.lines().filter(l -> l.contains(text)).findFirst().orElseThrow();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not logged: " + text);
    }
}
