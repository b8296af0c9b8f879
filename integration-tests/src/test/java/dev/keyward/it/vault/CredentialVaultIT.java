package dev.keyward.it.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import dev.keyward.it.harness.VaultApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The credential vault on a real Keycloak (PostgreSQL or dev H2): users store, replace, list and
 * delete their own provider credentials through the realm endpoint; admins define providers and
 * manage users' bindings; the table holds ciphertext only; rows moved between owners are refused
 * and reported; rows go with their user and realm; only clients granted the scope
 * {@code keyward-vault} get in, and browsers only from their origins. Own realm with direct-grant
 * clients, so tokens come from Keycloak passwords (the vault works in any realm, not only with OPAQUE).
 */
@KeywardTest
class CredentialVaultIT {
    private static final String REALM = "keyward-vault-it";
    private static final String CLI = "vault-cli";
    /** Another application the same users sign in to: never granted the scope. */
    private static final String OTHER_CLI = "other-app";
    /** Holds the pack's scopes as optional ones: its tokens carry them only when it asks. */
    private static final String ASKING_CLI = "asking-app";

    private static final String ORIGIN = "http://vault-app.example.test";
    private static final String OTHER_ORIGIN = "http://other-app.example.test";
    private static final String EVIL_ORIGIN = "https://evil.example";

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static VaultApi api;
    private static String realmId;

    @BeforeAll
    static void realm() {
        admin.send("POST", "/admin/realms", Map.of("realm", REALM, "enabled", true));
        realmId = admin.realm(REALM).get("id").asText();
        admin.createKeywardScopes(REALM);
        admin.createDirectGrantClient(REALM, CLI, List.of(ORIGIN), List.of(AdminApi.VAULT_SCOPE), List.of());
        admin.createDirectGrantClient(REALM, OTHER_CLI, List.of(OTHER_ORIGIN), List.of(), List.of());
        admin.createDirectGrantClient(
                REALM, ASKING_CLI, List.of(), List.of(), List.of(AdminApi.PROXY_SCOPE, AdminApi.VAULT_SCOPE));
        provider(REALM, "media", Map.of("displayName", "Media server", "credentialKind", "bearer"));
        provider(REALM, "files", Map.of("displayName", "File share", "credentialKind", "basic"));
        provider(
                REALM,
                "search",
                Map.of("displayName", "Search API", "credentialKind", "api-key-header", "credentialName", "X-Api-Key"));
    }

    private static void provider(String realm, String id, Map<String, ?> definition) {
        admin.send("PUT", "/admin/realms/" + realm + "/keyward-vault/providers/" + id, definition);
    }

    /** A new user with a Keycloak password; returns [id, token from the granted client, password]. */
    private static String[] user(String name) {
        String password = KeycloakServer.randomSecret();
        String id = admin.createUser(REALM, name, name + "@example.test", password);
        return new String[] {id, api.userToken(REALM, CLI, name, password), password};
    }

    private static Map<String, String> secret(String value) {
        return Map.of("secret", value);
    }

    @Test
    void aUserStoresReplacesListsAndDeletesTheirCredentialAndNeverGetsItBack() {
        String[] alice = user("alice-roundtrip");
        String first = "tok-" + KeycloakServer.randomSecret();
        VaultApi.Answer created = api.userJson("PUT", REALM, "credentials/media", alice[1], secret(first));
        assertEquals(201, created.status(), created.body());
        assertEquals("media", created.json().get("provider").asText());
        assertEquals("Media server", created.json().get("displayName").asText());
        assertFalse(created.json().get("keyId").asText().isEmpty());

        String second = "tok-" + KeycloakServer.randomSecret();
        VaultApi.Answer replaced = api.userJson("PUT", REALM, "credentials/media", alice[1], secret(second));
        assertEquals(200, replaced.status(), replaced.body());
        assertEquals(
                created.json().get("createdAt").asLong(),
                replaced.json().get("createdAt").asLong());
        assertTrue(replaced.json().get("updatedAt").asLong()
                >= created.json().get("updatedAt").asLong());

        VaultApi.Answer basic = api.userJson(
                "PUT",
                REALM,
                "credentials/files",
                alice[1],
                Map.of("username", "alice", "password", "pw-" + KeycloakServer.randomSecret()));
        assertEquals(201, basic.status(), basic.body());

        VaultApi.Answer list = api.user("GET", REALM, "credentials", alice[1], null, null);
        assertEquals(200, list.status(), list.body());
        assertEquals(List.of("files", "media"), names(list.json()));
        for (JsonNode row : list.json()) {
            assertEquals(
                    Set.of(
                            "provider",
                            "displayName",
                            "credentialKind",
                            "usable",
                            "createdAt",
                            "updatedAt",
                            "keyId",
                            "keyAgeSeconds"),
                    fields(row),
                    "metadata only");
            assertTrue(row.get("usable").asBoolean(), row.toString());
        }
        assertFalse(list.body().contains(first) || list.body().contains(second), "a secret came back");

        assertEquals(
                204,
                api.user("DELETE", REALM, "credentials/media", alice[1], null, null)
                        .status());
        assertEquals(
                List.of("files"),
                names(api.user("GET", REALM, "credentials", alice[1], null, null)
                        .json()));
        VaultApi.Answer again = api.user("DELETE", REALM, "credentials/media", alice[1], null, null);
        assertEquals(404, again.status());
        assertEquals("not_found", again.error());

        VaultApi.Answer providers = api.user("GET", REALM, "providers", alice[1], null, null);
        assertEquals(200, providers.status());
        assertEquals(List.of("files", "media", "search"), ids(providers.json()));
    }

    @Test
    void aUserCannotSeeOrDeleteAnotherUsersCredentialButTheAdminCan() {
        String[] alice = user("alice-owner");
        String[] bob = user("bob-other");
        assertEquals(
                201,
                api.userJson(
                                "PUT",
                                REALM,
                                "credentials/search",
                                alice[1],
                                secret("key-" + KeycloakServer.randomSecret()))
                        .status());

        assertEquals(
                List.of(),
                names(api.user("GET", REALM, "credentials", bob[1], null, null).json()));
        assertEquals(
                404,
                api.user("DELETE", REALM, "credentials/search", bob[1], null, null)
                        .status());
        assertEquals(
                List.of("search"),
                names(api.user("GET", REALM, "credentials", alice[1], null, null)
                        .json()));

        JsonNode adminView = admin.get("/admin/realms/" + REALM + "/keyward-vault/users/" + alice[0] + "/credentials");
        assertEquals(List.of("search"), names(adminView));
        assertEquals(
                204,
                admin.exchange(
                                "DELETE",
                                "/admin/realms/" + REALM + "/keyward-vault/users/" + alice[0] + "/credentials/search",
                                null)
                        .statusCode());
        assertEquals(
                List.of(),
                names(api.user("GET", REALM, "credentials", alice[1], null, null)
                        .json()));

        // a user's token carries no admin role, and a token of another realm is no token here
        assertEquals(
                403,
                api.send("GET", "/admin/realms/" + REALM + "/keyward-vault/providers", alice[1], null, null)
                        .status());
        assertEquals(
                401,
                api.user("GET", REALM, "credentials", admin.accessToken(), null, null)
                        .status());
        VaultApi.Answer none = api.user("GET", REALM, "credentials", null, null, null);
        assertEquals(401, none.status());
        assertEquals("invalid_token", none.error());
    }

    /** Issue 17, item 6: other applications the user signs in to hold valid tokens of the realm, but no grant. */
    @Test
    void aClientNotGrantedTheScopeIsRefusedAndChangesNothing() throws Exception {
        String[] kim = user("kim-other-app");
        VaultApi.Answer created =
                api.userJson("PUT", REALM, "credentials/media", kim[1], secret("kim-" + KeycloakServer.randomSecret()));
        assertEquals(201, created.status(), created.body());

        // a client without the scope; one holding it as optional that did not ask; one that asked only the proxy's
        List<String> refused = List.of(
                api.userToken(REALM, OTHER_CLI, "kim-other-app", kim[2]),
                api.userToken(REALM, ASKING_CLI, "kim-other-app", kim[2]),
                api.userToken(REALM, ASKING_CLI, "kim-other-app", kim[2], AdminApi.PROXY_SCOPE));
        for (String token : refused) {
            VaultApi.Answer list = api.user("GET", REALM, "credentials", token, null, null);
            assertRefused(403, "insufficient_scope", list);
            assertEquals(
                    "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\", scope=\"keyward-vault\"",
                    list.header("WWW-Authenticate"));
            assertRefused(403, "insufficient_scope", api.user("GET", REALM, "providers", token, null, null));
            assertRefused(
                    403,
                    "insufficient_scope",
                    api.userJson(
                            "PUT",
                            REALM,
                            "credentials/media",
                            token,
                            secret("replaced-" + KeycloakServer.randomSecret())));
            assertRefused(
                    403,
                    "insufficient_scope",
                    api.userJson(
                            "PUT",
                            REALM,
                            "credentials/search",
                            token,
                            secret("added-" + KeycloakServer.randomSecret())));
            assertRefused(403, "insufficient_scope", api.user("DELETE", REALM, "credentials/media", token, null, null));
        }
        VaultApi.Answer after = api.user("GET", REALM, "credentials", kim[1], null, null);
        assertEquals(List.of("media"), names(after.json()));
        assertEquals(
                created.json().get("updatedAt").asLong(),
                after.json().get(0).get("updatedAt").asLong(),
                "the row was rewritten");
        assertEquals(1, count("SUBJECT = ?", kim[0]));

        // granted as optional and asked for: the token carries the scope and its audience, and works
        String asked = api.userToken(REALM, ASKING_CLI, "kim-other-app", kim[2], AdminApi.VAULT_SCOPE);
        assertTrue(VaultApi.audiences(asked).contains("keyward-vault"), VaultApi.audiences(asked)::toString);
        assertEquals(
                List.of("media"),
                names(api.user("GET", REALM, "credentials", asked, null, null).json()));
    }

    @Test
    void browsersFromTheClientsOriginGetCorsAndOthersAreRefused() {
        String[] lea = user("lea-browser");
        String media = "/realms/" + REALM + "/keyward-vault/credentials/media";
        String credentials = "/realms/" + REALM + "/keyward-vault/credentials";

        // a preflight carries no token: only origins of clients that hold the scope get an answer
        VaultApi.Answer preflight = api.send(
                "OPTIONS",
                media,
                null,
                null,
                null,
                Map.of(
                        "Origin",
                        ORIGIN,
                        "Access-Control-Request-Method",
                        "PUT",
                        "Access-Control-Request-Headers",
                        "authorization, content-type"));
        assertTrue(preflight.status() / 100 == 2, preflight.status() + " " + preflight.body());
        assertEquals(ORIGIN, preflight.header("Access-Control-Allow-Origin"));
        assertEquals("PUT, DELETE", preflight.header("Access-Control-Allow-Methods"));
        assertEquals("Authorization, Content-Type", preflight.header("Access-Control-Allow-Headers"));
        for (String origin : List.of(EVIL_ORIGIN, OTHER_ORIGIN)) {
            VaultApi.Answer other = api.send(
                    "OPTIONS",
                    media,
                    null,
                    null,
                    null,
                    Map.of("Origin", origin, "Access-Control-Request-Method", "PUT"));
            assertEquals(null, other.header("Access-Control-Allow-Origin"), origin + " got a preflight answer");
        }

        // the real request, from the origin of the token's client
        String value = "lea-" + KeycloakServer.randomSecret();
        VaultApi.Answer put = api.send(
                "PUT", media, lea[1], "application/json", VaultApi.json(secret(value)), Map.of("Origin", ORIGIN));
        assertEquals(201, put.status(), put.body());
        assertEquals(ORIGIN, put.header("Access-Control-Allow-Origin"));
        assertTrue(put.header("Vary").contains("Origin"), put.header("Vary"));
        assertEquals(
                ORIGIN,
                api.send("GET", credentials, lea[1], null, null, Map.of("Origin", ORIGIN))
                        .header("Access-Control-Allow-Origin"));

        // from any other origin: refused before anything is read or written, and unreadable to the page
        for (String origin : List.of(EVIL_ORIGIN, OTHER_ORIGIN)) {
            VaultApi.Answer write = api.send(
                    "PUT",
                    "/realms/" + REALM + "/keyward-vault/credentials/search",
                    lea[1],
                    "application/json",
                    VaultApi.json(secret("evil-" + KeycloakServer.randomSecret())),
                    Map.of("Origin", origin));
            assertRefused(403, "origin_not_allowed", write);
            assertEquals(null, write.header("Access-Control-Allow-Origin"));
            assertRefused(
                    403, "origin_not_allowed", api.send("DELETE", media, lea[1], null, null, Map.of("Origin", origin)));
            assertRefused(
                    403,
                    "origin_not_allowed",
                    api.send("GET", credentials, lea[1], null, null, Map.of("Origin", origin)));
        }
        assertEquals(
                List.of("media"),
                names(api.user("GET", REALM, "credentials", lea[1], null, null).json()));

        // without a token (401), only a scope holder's origin may read the answer
        VaultApi.Answer anonymous = api.send("GET", credentials, null, null, null, Map.of("Origin", ORIGIN));
        assertRefused(401, "invalid_token", anonymous);
        assertEquals(ORIGIN, anonymous.header("Access-Control-Allow-Origin"));
        assertEquals("Bearer realm=\"" + REALM + "\"", anonymous.header("WWW-Authenticate"));
        assertEquals(
                null,
                api.send("GET", credentials, null, null, null, Map.of("Origin", EVIL_ORIGIN))
                        .header("Access-Control-Allow-Origin"));
    }

    @Test
    void badRequestsGetAClear4xxAndChangeNothing() {
        String[] carol = user("carol-errors");
        String token = carol[1];
        assertRefused(
                415,
                "unsupported_media_type",
                api.user("PUT", REALM, "credentials/media", token, "text/plain", "{\"secret\":\"x\"}"));
        assertRefused(
                400,
                "invalid_credential",
                api.user("PUT", REALM, "credentials/media", token, "application/json", "{\"secret\":"));
        VaultApi.Answer unknownField =
                api.userJson("PUT", REALM, "credentials/media", token, Map.of("secret", "abc", "extra", 1));
        assertRefused(400, "invalid_credential", unknownField);
        assertTrue(
                unknownField.json().get("error_description").asText().contains("unknown field 'extra'"),
                unknownField.body());
        assertRefused(404, "unknown_provider", api.userJson("PUT", REALM, "credentials/nope", token, secret("abc")));
        // the documented limit: 4096 bytes of secret; over it, 400, and the secret is not echoed
        String big = "a".repeat(4097);
        VaultApi.Answer tooBig = api.userJson("PUT", REALM, "credentials/media", token, secret(big));
        assertRefused(400, "invalid_credential", tooBig);
        assertFalse(tooBig.body().contains(big));
        assertEquals(
                201,
                api.userJson("PUT", REALM, "credentials/media", token, secret("a".repeat(4096)))
                        .status());
        assertRefused(
                413,
                "body_too_large",
                api.user(
                        "PUT",
                        REALM,
                        "credentials/media",
                        token,
                        "application/json",
                        "{\"secret\":\"" + "a".repeat(20_000) + "\"}"));
        assertRefused(
                400, "invalid_credential", api.userJson("PUT", REALM, "credentials/media", token, secret("two words")));
        assertRefused(400, "invalid_credential", api.userJson("PUT", REALM, "credentials/files", token, secret("abc")));
        assertRefused(
                400,
                "invalid_credential",
                api.userJson("PUT", REALM, "credentials/files", token, Map.of("username", "a:b", "password", "x")));
        // what was stored before the bad requests is still there, unchanged in key and time
        VaultApi.Answer list = api.user("GET", REALM, "credentials", token, null, null);
        assertEquals(List.of("media"), names(list.json()));

        String adminToken = admin.accessToken();
        String providers = "/admin/realms/" + REALM + "/keyward-vault/providers/";
        assertRefused(
                400,
                "invalid_provider",
                api.send(
                        "PUT",
                        providers + "bad",
                        adminToken,
                        "application/json",
                        VaultApi.json(Map.of("displayName", "x", "credentialKind", "carrier-pigeon"))));
        VaultApi.Answer reserved = api.send(
                "PUT",
                providers + "bad",
                adminToken,
                "application/json",
                VaultApi.json(Map.of(
                        "displayName",
                        "x",
                        "credentialKind",
                        "bearer",
                        "proxy",
                        Map.of("baseUrl", "https://upstream.example", "passThroughHeaders", List.of("Cookie")))));
        assertRefused(400, "invalid_provider", reserved);
        assertRefused(
                400,
                "invalid_provider",
                api.send(
                        "PUT",
                        providers + "Bad_Id",
                        adminToken,
                        "application/json",
                        VaultApi.json(Map.of("displayName", "x", "credentialKind", "bearer"))));
        assertRefused(
                415, "unsupported_media_type", api.send("PUT", providers + "bad", adminToken, "text/plain", "{}"));
        assertEquals(404, admin.exchange("GET", providers + "bad", null).statusCode());
    }

    @Test
    void simultaneousFirstWritesMakeOneRowAndNoServerError() throws Exception {
        String[] olga = user("olga-race");
        int writers = 12;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                String value = "race-" + i + "-" + KeycloakServer.randomSecret();
                answers.add(pool.submit(() -> {
                    go.await();
                    VaultApi.Answer a = api.userJson("PUT", REALM, "credentials/search", olga[1], secret(value));
                    assertTrue(a.status() < 500, a.status() + " " + a.body());
                    if (a.status() == 409) {
                        assertEquals("concurrent_write", a.error(), a.body());
                    }
                    return a.status();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (java.util.concurrent.Future<Integer> f : answers) {
                statuses.add(f.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 201 || s == 409), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, count("SUBJECT = ?", olga[0]));
        assertEquals(0, integrity().get("undecryptable").size());
    }

    @Test
    void theTableHoldsCiphertextOnlyUnderTheActiveKeyId() throws Exception {
        String[] dave = user("dave-scan");
        String token = "scan-" + KeycloakServer.randomSecret();
        String password = "scanpw-" + KeycloakServer.randomSecret();
        api.userJson("PUT", REALM, "credentials/media", dave[1], secret(token));
        api.userJson("PUT", REALM, "credentials/files", dave[1], Map.of("username", "dave", "password", password));
        String activeKeyId = admin.get("/admin/realms/" + REALM + "/keyward-vault/keys")
                .get("activeKeyId")
                .asText();

        int rows = 0;
        try (Connection c = keycloak.sql();
                PreparedStatement s = c.prepareStatement("SELECT * FROM KEYWARD_VAULT_SECRET")) {
            ResultSet rs = s.executeQuery();
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                rows++;
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    byte[] raw = rs.getBytes(i);
                    String text = raw == null ? "" : new String(raw, StandardCharsets.ISO_8859_1);
                    for (String secret : List.of(token, password)) {
                        assertFalse(
                                text.contains(secret), "column " + meta.getColumnName(i) + " holds a secret in clear");
                        assertFalse(
                                text.contains(java.util.Base64.getEncoder()
                                        .encodeToString(secret.getBytes(StandardCharsets.UTF_8))),
                                "column " + meta.getColumnName(i) + " holds a secret in base64");
                    }
                }
                byte[] envelope = rs.getBytes("ENVELOPE");
                assertEquals(1, envelope[0], "envelope version");
                assertEquals(rs.getString("KEY_ID"), new String(envelope, 2, envelope[1], StandardCharsets.US_ASCII));
            }
        }
        assertTrue(rows >= 2);
        assertEquals(Map.of(activeKeyId, 2L), rowsByKeyId(dave[0]));
    }

    @Test
    void rowsMovedToAnotherUserOrProviderAreRefusedAndReportedWithoutSecrets() throws Exception {
        String[] erin = user("erin-tamper");
        String[] frank = user("frank-tamper");
        String erinSecret = "erin-" + KeycloakServer.randomSecret();
        String frankSecret = "frank-" + KeycloakServer.randomSecret();
        api.userJson("PUT", REALM, "credentials/media", erin[1], secret(erinSecret));
        api.userJson("PUT", REALM, "credentials/search", erin[1], secret("other-" + KeycloakServer.randomSecret()));
        api.userJson("PUT", REALM, "credentials/media", frank[1], secret(frankSecret));
        assertEquals(0, integrity().get("undecryptable").size(), "clean before tampering");

        String erinMedia = rowId(erin[0], "media");
        String frankMedia = rowId(frank[0], "media");
        String erinSearch = rowId(erin[0], "search");
        byte[] erinEnvelope = envelope(erinMedia);
        // swap two users' ciphertexts, and copy one onto the same user's other provider
        setEnvelope(erinMedia, envelope(frankMedia));
        setEnvelope(frankMedia, erinEnvelope);
        setEnvelope(erinSearch, erinEnvelope);

        long logBefore = Files.size(keycloak.logFile());
        JsonNode report = integrity();
        Set<String> refused = new TreeSet<>();
        report.get("undecryptable").forEach(r -> {
            refused.add(r.get("id").asText());
            assertEquals("TAG_MISMATCH", r.get("reason").asText());
        });
        assertEquals(new TreeSet<>(List.of(erinMedia, frankMedia, erinSearch)), refused);
        assertFalse(report.toString().contains(erinSecret) || report.toString().contains(frankSecret));

        String log = Files.readString(keycloak.logFile()).substring((int) logBefore);
        for (String id : refused) {
            assertTrue(log.contains("row " + id) && log.contains("cannot be decrypted"), "not reported: " + id);
        }
        assertFalse(log.contains(erinSecret) || log.contains(frankSecret), "a secret reached the log");

        // the owner repairs it by storing the credential again
        api.userJson("PUT", REALM, "credentials/media", erin[1], secret(erinSecret));
        api.userJson("PUT", REALM, "credentials/media", frank[1], secret(frankSecret));
        api.user("DELETE", REALM, "credentials/search", erin[1], null, null);
        assertEquals(0, integrity().get("undecryptable").size());
    }

    @Test
    void rowsGoWithTheirUserTheirProviderAndTheirRealm() throws Exception {
        String[] gina = user("gina-deleted");
        String[] hank = user("hank-kept");
        api.userJson("PUT", REALM, "credentials/media", gina[1], secret("g-" + KeycloakServer.randomSecret()));
        api.userJson("PUT", REALM, "credentials/search", gina[1], secret("g-" + KeycloakServer.randomSecret()));
        api.userJson("PUT", REALM, "credentials/search", hank[1], secret("h-" + KeycloakServer.randomSecret()));
        assertEquals(2, count("SUBJECT = ?", gina[0]));

        admin.send("DELETE", "/admin/realms/" + REALM + "/users/" + gina[0], null);
        assertEquals(0, count("SUBJECT = ?", gina[0]), "the deleted user's rows remain");
        assertEquals(1, count("SUBJECT = ?", hank[0]));

        // a provider that goes takes every user's binding for it along
        provider(REALM, "temp", Map.of("displayName", "Temporary", "credentialKind", "bearer"));
        api.userJson("PUT", REALM, "credentials/temp", hank[1], secret("t-" + KeycloakServer.randomSecret()));
        JsonNode removed = VaultApi.JSON.readTree(
                admin.send("DELETE", "/admin/realms/" + REALM + "/keyward-vault/providers/temp", null)
                        .body());
        assertEquals(1, removed.get("deletedCredentials").asInt());
        assertEquals(
                List.of("search"),
                names(api.user("GET", REALM, "credentials", hank[1], null, null).json()));

        String doomed = "keyward-vault-doomed-it";
        admin.send("POST", "/admin/realms", Map.of("realm", doomed, "enabled", true));
        String doomedId = admin.realm(doomed).get("id").asText();
        admin.send(
                "PUT",
                "/admin/realms/" + doomed + "/keyward-vault/secrets/api_key",
                Map.of("value", "v-" + KeycloakServer.randomSecret()));
        provider(doomed, "media", Map.of("displayName", "Media", "credentialKind", "bearer"));
        admin.createKeywardScopes(doomed);
        admin.createDirectGrantClient(doomed, CLI, List.of(), List.of(AdminApi.VAULT_SCOPE), List.of());
        String password = KeycloakServer.randomSecret();
        admin.createUser(doomed, "ivy", "ivy@example.test", password);
        api.userJson(
                "PUT",
                doomed,
                "credentials/media",
                api.userToken(doomed, CLI, "ivy", password),
                secret("i-" + KeycloakServer.randomSecret()));
        assertEquals(2, count("REALM_ID = ?", doomedId));
        admin.send("DELETE", "/admin/realms/" + doomed, null);
        assertEquals(0, count("REALM_ID = ?", doomedId), "the deleted realm's rows remain");
    }

    @Test
    void providerDefinitionsTravelWithTheRealmExport() throws Exception {
        JsonNode export = VaultApi.JSON.readTree(admin.send("POST", "/admin/realms/" + REALM + "/partial-export", null)
                .body());
        JsonNode media = VaultApi.JSON.readTree(
                export.get("attributes").get("keyward.vault.provider.media").asText());
        assertEquals("bearer", media.get("credentialKind").asText());
        assertEquals("Media server", media.get("displayName").asText());
        JsonNode listed = admin.get("/admin/realms/" + REALM + "/keyward-vault/providers");
        assertTrue(ids(listed).containsAll(List.of("files", "media", "search")));
        JsonNode search = admin.get("/admin/realms/" + REALM + "/keyward-vault/providers/search");
        assertEquals("X-Api-Key", search.get("credentialName").asText());

        // and back in: a realm created from a representation carrying the attribute has the provider
        String imported = "keyward-vault-import-it";
        admin.send(
                "POST",
                "/admin/realms",
                Map.of(
                        "realm",
                        imported,
                        "enabled",
                        true,
                        "attributes",
                        Map.of(
                                "keyward.vault.provider.media",
                                export.get("attributes")
                                        .get("keyward.vault.provider.media")
                                        .asText())));
        try {
            JsonNode again = admin.get("/admin/realms/" + imported + "/keyward-vault/providers/media");
            assertEquals("Media server", again.get("displayName").asText());
        } finally {
            admin.send("DELETE", "/admin/realms/" + imported, null);
        }
    }

    // ---- helpers

    private static void assertRefused(int status, String error, VaultApi.Answer answer) {
        assertEquals(status, answer.status(), answer.body());
        assertEquals(error, answer.error(), answer.body());
        assertTrue(answer.json().get("error_description").asText().length() > 5, answer.body());
    }

    private static JsonNode integrity() {
        return admin.get("/admin/realms/" + REALM + "/keyward-vault/integrity");
    }

    private static List<String> names(JsonNode rows) {
        List<String> names = new ArrayList<>();
        rows.forEach(r -> names.add(r.get("provider").asText()));
        return names;
    }

    private static List<String> ids(JsonNode rows) {
        List<String> ids = new ArrayList<>();
        rows.forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    private static Set<String> fields(JsonNode row) {
        Set<String> names = new TreeSet<>();
        row.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Map<String, Long> rowsByKeyId(String subject) throws Exception {
        Map<String, Long> counts = new java.util.TreeMap<>();
        try (Connection c = keycloak.sql();
                PreparedStatement s = c.prepareStatement(
                        "SELECT KEY_ID, COUNT(*) FROM KEYWARD_VAULT_SECRET WHERE SUBJECT = ? GROUP BY KEY_ID")) {
            s.setString(1, subject);
            ResultSet rs = s.executeQuery();
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    private static long count(String where, String value) throws Exception {
        try (Connection c = keycloak.sql();
                PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM KEYWARD_VAULT_SECRET WHERE " + where)) {
            s.setString(1, value);
            ResultSet rs = s.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String rowId(String subject, String name) throws Exception {
        try (Connection c = keycloak.sql();
                PreparedStatement s = c.prepareStatement(
                        "SELECT ID FROM KEYWARD_VAULT_SECRET WHERE REALM_ID = ? AND SUBJECT = ? AND NAME = ?")) {
            s.setString(1, realmId);
            s.setString(2, subject);
            s.setString(3, name);
            ResultSet rs = s.executeQuery();
            assertTrue(rs.next(), "no row for " + name);
            return rs.getString(1);
        }
    }

    private static byte[] envelope(String id) throws Exception {
        try (Connection c = keycloak.sql();
                PreparedStatement s = c.prepareStatement("SELECT ENVELOPE FROM KEYWARD_VAULT_SECRET WHERE ID = ?")) {
            s.setString(1, id);
            ResultSet rs = s.executeQuery();
            rs.next();
            return rs.getBytes(1);
        }
    }

    private static void setEnvelope(String id, byte[] envelope) throws Exception {
        try (Connection c = keycloak.sql();
                PreparedStatement s = c.prepareStatement("UPDATE KEYWARD_VAULT_SECRET SET ENVELOPE = ? WHERE ID = ?")) {
            s.setBytes(1, envelope);
            s.setString(2, id);
            assertEquals(1, s.executeUpdate());
            assertArrayEquals(envelope, envelope(id));
        }
    }
}
