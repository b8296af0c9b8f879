package dev.keyward.it.apitoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import dev.keyward.it.harness.RealmExport;
import dev.keyward.it.harness.RecordingUpstream;
import dev.keyward.it.harness.TestSecrets;
import dev.keyward.it.harness.VaultApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Personal API tokens end to end, in a realm of its own with Keycloak passwords (the feature does not
 * need OPAQUE): a user creates a token through {@code /realms/{realm}/api-tokens} right after signing
 * in, sees its text once, exchanges it at the token endpoint for a short-lived access token with the
 * token's scopes, uses that at the vault's user endpoint, and revokes it, which stops both at once.
 * Guesses are counted per token and address; admins list and revoke; switching two-factor sign-in on
 * retires one-factor tokens; the table holds a keyed hash, never the text.
 */
@KeywardTest
class ApiTokenIT {
    private static final String REALM = "keyward-api-tokens-it";
    private static final String CLI = "tokens-cli";
    private static final String EXCHANGE = "keyward-api-tokens";
    private static final String GRANT = "urn:keyward:params:oauth:grant-type:api-token";

    // set by @KeywardTest before @BeforeAll
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static VaultApi api;

    @BeforeAll
    static void realm() {
        // Keycloak saves INTROSPECT_TOKEN events only when the realm lists them
        admin.send(
                "POST",
                "/admin/realms",
                Map.of(
                        "realm",
                        REALM,
                        "enabled",
                        true,
                        "eventsEnabled",
                        true,
                        "enabledEventTypes",
                        List.of(
                                "TOKEN_EXCHANGE",
                                "TOKEN_EXCHANGE_ERROR",
                                "INTROSPECT_TOKEN",
                                "INTROSPECT_TOKEN_ERROR",
                                "UPDATE_CREDENTIAL",
                                "REMOVE_CREDENTIAL",
                                "LOGIN",
                                "LOGIN_ERROR")));
        admin.createKeywardScopes(REALM);
        admin.createDirectGrantClient(
                REALM, CLI, List.of(), List.of(AdminApi.API_TOKENS_SCOPE, AdminApi.VAULT_SCOPE), List.of());
        for (JsonNode client : RealmExport.read(keycloak).get("clients")) {
            if (EXCHANGE.equals(client.path("clientId").asText())) {
                admin.send("POST", "/admin/realms/" + REALM + "/clients", client);
            }
        }
        // the realm's user profile keeps two_factor_enabled only when declared; here an admin may set it
        admin.send(
                "PUT",
                "/admin/realms/" + REALM + "/users/profile",
                mergeUnmanaged(admin.get("/admin/realms/" + REALM + "/users/profile")));
    }

    private static JsonNode mergeUnmanaged(JsonNode profile) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) profile).put("unmanagedAttributePolicy", "ADMIN_EDIT");
        return profile;
    }

    /** A user with a Keycloak password; returns [id, fresh access token with the scope, password]. */
    private static String[] user(String name) {
        String username = name + "-"
                + KeycloakServer.randomSecret().substring(0, 6).toLowerCase().replaceAll("[^a-z0-9]", "x");
        String password = KeycloakServer.randomSecret();
        String id = admin.createUser(REALM, username, username + "@example.test", password);
        return new String[] {id, api.userToken(REALM, CLI, username, password), password, username};
    }

    private static VaultApi.Answer create(String access, Map<String, ?> body) {
        return api.send("POST", "/realms/" + REALM + "/api-tokens", access, "application/json", VaultApi.json(body));
    }

    /** Creates a token and returns its answer (id, text in "token"). */
    private static JsonNode newToken(String access, String name, List<String> scopes) {
        VaultApi.Answer a = create(access, Map.of("name", name, "days", 7, "scopes", scopes));
        assertEquals(201, a.status(), a.body());
        assertEquals("no-store", a.header("Cache-Control"));
        JsonNode json = a.json();
        TestSecrets.record(TestSecrets.Kind.TOKEN, json.path("token").asText());
        return json;
    }

    private static VaultApi.Answer exchange(String clientId, String apiToken) {
        return exchange(api, REALM, clientId, apiToken);
    }

    /** The API-token grant at {@code realm}'s token endpoint, as a script does it. */
    static VaultApi.Answer exchange(VaultApi api, String realm, String clientId, String apiToken) {
        String form = "grant_type=" + enc(GRANT) + "&client_id=" + enc(clientId) + "&api_token=" + enc(apiToken);
        return api.send(
                "POST",
                "/realms/" + realm + "/protocol/openid-connect/token",
                null,
                "application/x-www-form-urlencoded",
                form);
    }

    private static String accessFrom(String apiToken) {
        VaultApi.Answer a = exchange(EXCHANGE, apiToken);
        assertEquals(200, a.status(), a.body());
        String access = a.json().path("access_token").asText();
        TestSecrets.record(TestSecrets.Kind.TOKEN, access);
        return access;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static VaultApi.Answer list(String access) {
        return api.send("GET", "/realms/" + REALM + "/api-tokens", access, null, null);
    }

    @Test
    void aTokenIsShownOnceExchangedForItsScopesUsedAndRecorded() throws Exception {
        String[] alice = user("alice");
        JsonNode created = newToken(alice[1], "backup script", List.of(AdminApi.VAULT_SCOPE));
        String text = created.path("token").asText();
        // one token per sign-in: a second needs another sign-in
        VaultApi.Answer second = create(alice[1], Map.of("name", "second"));
        assertEquals(403, second.status(), second.body());
        assertEquals("fresh_sign_in_required", second.error());
        assertTrue(text.matches("kwt_[A-Za-z0-9_-]{59}"), "a recognisable prefix, then 59 characters of base64url");
        assertEquals(created.path("prefix").asText(), text.substring(0, 20));
        double days =
                (created.path("expiresAt").asLong() - created.path("createdAt").asLong()) / 86_400_000.0;
        assertEquals(7, Math.round(days));

        // shown once: the list has the metadata, never the text
        VaultApi.Answer listed = list(alice[1]);
        assertEquals(200, listed.status(), listed.body());
        assertFalse(listed.body().contains(text.substring(20)), "the list shows the secret part");
        assertEquals("backup script", listed.json().get(0).path("name").asText());
        assertFalse(listed.json().get(0).path("lastUsedAt").isNumber(), "not used yet");

        VaultApi.Answer answer = exchange(EXCHANGE, text);
        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.json().path("refresh_token").isMissingNode(), "no refresh token: " + answer.body());
        assertTrue(answer.json().path("id_token").isMissingNode(), "no ID token");
        String access = answer.json().path("access_token").asText();
        TestSecrets.record(TestSecrets.Kind.TOKEN, access);
        JsonNode claims = VaultApi.claims(access);
        assertEquals(alice[0], claims.path("sub").asText());
        assertEquals("api-token", claims.path("acr").asText(), "acr says what it is, never two-factor");
        assertEquals(
                created.path("id").asText(), claims.path("keyward_api_token").asText());
        List<String> scopes = List.of(claims.path("scope").asText().split(" "));
        assertTrue(scopes.contains(AdminApi.VAULT_SCOPE), claims.toString());
        assertFalse(scopes.contains(AdminApi.PROXY_SCOPE), "only the token's scopes: " + claims);
        assertTrue(claims.path("exp").asLong() - claims.path("iat").asLong() <= 300, "short-lived: " + claims);

        // accepted by the vault's user endpoint, as the user
        VaultApi.Answer vault = api.user("GET", REALM, "credentials", access, null, null);
        assertEquals(200, vault.status(), vault.body());

        JsonNode after = list(alice[1]).json().get(0);
        assertTrue(after.path("lastUsedAt").isNumber(), "last use recorded: " + after);
        assertEquals("127.0.0.1", after.path("lastUsedFrom").asText());

        // the table holds a keyed hash of it, never the text or a plain hash
        try (Connection c = keycloak.sql();
                PreparedStatement q = c.prepareStatement("SELECT * FROM KEYWARD_API_TOKEN WHERE ID = ?")) {
            q.setString(1, created.path("id").asText());
            try (ResultSet rs = q.executeQuery()) {
                assertTrue(rs.next());
                String hash = rs.getString("HASH");
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    String value = rs.getString(i);
                    assertFalse(value != null && value.contains(text.substring(20)), "the secret in the table");
                }
                assertNotEquals(
                        java.util.Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                                        .digest(text.getBytes(StandardCharsets.US_ASCII))),
                        hash,
                        "a plain hash");
                assertEquals(43, hash.length());
            }
        }
        JsonNode event = lastEvent("TOKEN_EXCHANGE", alice[0]);
        assertEquals(
                created.path("id").asText(),
                event.path("details").path("api_token_id").asText());
        assertFalse(event.toString().contains(text.substring(20)), "the secret in an event");
    }

    @Test
    void revokingStopsTheExchangeAndTheAccessTokensItGave() {
        String[] bob = user("bob");
        JsonNode created = newToken(bob[1], "ci", List.of(AdminApi.VAULT_SCOPE));
        String access = accessFrom(created.path("token").asText());
        assertEquals(
                200, api.user("GET", REALM, "credentials", access, null, null).status());

        VaultApi.Answer revoked = api.send(
                "DELETE",
                "/realms/" + REALM + "/api-tokens/" + created.path("id").asText(),
                bob[1],
                null,
                null);
        assertEquals(204, revoked.status(), revoked.body());
        assertEquals(0, list(bob[1]).json().size());
        VaultApi.Answer again = exchange(EXCHANGE, created.path("token").asText());
        assertEquals(400, again.status());
        assertEquals("invalid_grant", again.error());
        assertEquals(
                401, api.user("GET", REALM, "credentials", access, null, null).status(), "revoked at once");
        // another user's token id is not found, not revoked
        VaultApi.Answer notMine = api.send(
                "DELETE",
                "/realms/" + REALM + "/api-tokens/" + created.path("id").asText(),
                bob[1],
                null,
                null);
        assertEquals(404, notMine.status());
        JsonNode removed = lastEvent("REMOVE_CREDENTIAL", bob[0]);
        assertEquals(
                "keyward-api-token",
                removed.path("details").path("credential_type").asText());
    }

    @Test
    void anAccessTokenFromAnApiTokenCannotManageTokensOrTheAccount() {
        String[] carol = user("carol");
        String access =
                accessFrom(newToken(carol[1], "script", List.of()).path("token").asText());
        assertEquals(401, list(access).status(), "no token management with a script's token");
        assertEquals(
                401,
                api.send(
                                "GET",
                                "/realms/" + REALM + "/account/credentials",
                                access,
                                null,
                                null,
                                Map.of("Accept", "application/json"))
                        .status(),
                "no account API");
        assertEquals(401, create(access, Map.of("name", "more")).status());
    }

    @Test
    void onlyTheRealmsApiTokenClientExchanges() {
        String[] dave = user("dave");
        String text = newToken(dave[1], "script", List.of()).path("token").asText();
        VaultApi.Answer other = exchange(CLI, text);
        assertEquals(400, other.status(), other.body());
        assertEquals("unauthorized_client", other.error());
        assertEquals(200, exchange(EXCHANGE, text).status(), "the token still works where it belongs");
    }

    @Test
    void guessesAreCountedPerTokenAndAddressButNeverHoldUpTheRightToken() {
        String[] erin = user("erin");
        String text = newToken(erin[1], "target", List.of()).path("token").asText();
        char last = text.charAt(text.length() - 1);
        String wrong = text.substring(0, text.length() - 1) + (last == 'A' ? 'B' : 'A');
        for (int i = 0; i < 5; i++) {
            VaultApi.Answer a = exchange(EXCHANGE, wrong);
            assertEquals(400, a.status(), "guess " + i + ": " + a.body());
            assertEquals("invalid_grant", a.error());
        }
        VaultApi.Answer over = exchange(EXCHANGE, wrong);
        assertEquals(429, over.status(), "the sixth wrong guess from here: " + over.body());
        assertEquals(200, exchange(EXCHANGE, text).status(), "the right text always passes");
        // an id that has no token counts the same way, so the answer does not tell ids apart
        String madeUp = "kwt_" + "Q".repeat(16) + text.substring(20);
        for (int i = 0; i < 5; i++) {
            assertEquals(400, exchange(EXCHANGE, madeUp).status());
        }
        assertEquals(429, exchange(EXCHANGE, madeUp).status());
        JsonNode failure = lastEvent("TOKEN_EXCHANGE_ERROR", null);
        assertFalse(failure.toString().contains(wrong.substring(20)), "the guess in an event");
    }

    @Test
    void anAccessTokenFromARefreshIsNoFreshSignIn() {
        String[] kim = user("kim");
        String form = "grant_type=password&client_id=" + CLI + "&username=" + enc(kim[3]) + "&password=" + enc(kim[2]);
        VaultApi.Answer signIn = api.send(
                "POST",
                "/realms/" + REALM + "/protocol/openid-connect/token",
                null,
                "application/x-www-form-urlencoded",
                form);
        assertEquals(200, signIn.status(), signIn.body());
        String refresh = signIn.json().path("refresh_token").asText();
        TestSecrets.record(TestSecrets.Kind.TOKEN, refresh);
        VaultApi.Answer refreshed = api.send(
                "POST",
                "/realms/" + REALM + "/protocol/openid-connect/token",
                null,
                "application/x-www-form-urlencoded",
                "grant_type=refresh_token&client_id=" + CLI + "&refresh_token=" + enc(refresh));
        assertEquals(200, refreshed.status(), refreshed.body());
        String access = refreshed.json().path("access_token").asText();
        TestSecrets.record(TestSecrets.Kind.TOKEN, access);
        VaultApi.Answer refused = create(access, Map.of("name", "from a refresh"));
        assertEquals(403, refused.status(), refused.body());
        assertEquals("fresh_sign_in_required", refused.error());
        VaultApi.Answer made = create(signIn.json().path("access_token").asText(), Map.of("name", "signed in"));
        assertEquals(201, made.status(), made.body());
        TestSecrets.record(TestSecrets.Kind.TOKEN, made.json().path("token").asText());
    }

    @Test
    void creatingNeedsAFreshSignInAndValidInput() {
        String[] frank = user("frank");
        assertEquals(400, create(frank[1], Map.of("name", "")).status());
        assertEquals(400, create(frank[1], Map.of("name", "x", "days", 0)).status());
        assertEquals(400, create(frank[1], Map.of("name", "x", "days", 4000)).status());
        VaultApi.Answer scope = create(frank[1], Map.of("name", "x", "scopes", List.of("realm-admin")));
        assertEquals(400, scope.status());
        assertTrue(scope.json().path("error_description").asText().contains(AdminApi.VAULT_SCOPE), scope.body());
        assertEquals(
                415,
                api.send("POST", "/realms/" + REALM + "/api-tokens", frank[1], "text/plain", "name=x")
                        .status());
        assertEquals(
                400,
                api.send("POST", "/realms/" + REALM + "/api-tokens", frank[1], "application/json", "{")
                        .status());
        assertEquals(401, create(null, Map.of("name", "x")).status());

        admin.send(
                "PUT", "/admin/realms/" + REALM, Map.of("attributes", Map.of("keyward.apiTokens.freshSeconds", "10")));
        try {
            KeycloakServer.sleep(Duration.ofSeconds(12));
            VaultApi.Answer stale = create(frank[1], Map.of("name", "late"));
            assertEquals(403, stale.status(), stale.body());
            assertEquals("fresh_sign_in_required", stale.error());
            String fresh = api.userToken(REALM, CLI, frank[3], frank[2], null);
            assertEquals(201, create(fresh, Map.of("name", "on time")).status());
        } finally {
            admin.send(
                    "PUT",
                    "/admin/realms/" + REALM,
                    Map.of("attributes", Map.of("keyward.apiTokens.freshSeconds", "300")));
        }
    }

    @Test
    void switchingTwoFactorOnRetiresOneFactorTokens() {
        String[] gina = user("gina");
        String text = newToken(gina[1], "one factor", List.of()).path("token").asText();
        String access = accessFrom(text);
        JsonNode user = admin.get("/admin/realms/" + REALM + "/users/" + gina[0]);
        ((com.fasterxml.jackson.databind.node.ObjectNode) user)
                .putObject("attributes")
                .putArray("two_factor_enabled")
                .add("true");
        admin.send("PUT", "/admin/realms/" + REALM + "/users/" + gina[0], user);
        assertEquals(400, exchange(EXCHANGE, text).status(), "retired");
        assertEquals(
                401, api.user("GET", REALM, "credentials", access, null, null).status());
        String fresh = api.userToken(REALM, CLI, gina[3], gina[2], null);
        assertEquals(0, list(fresh).json().size(), "gone from the list");
        VaultApi.Answer oneFactor = create(fresh, Map.of("name", "again"));
        assertEquals(403, oneFactor.status());
        assertEquals("two_factors_required", oneFactor.error());
    }

    @Test
    void adminsListAndRevokeAnyUsersTokensAndUsersCannot() {
        String[] hank = user("hank");
        String[] ivy = user("ivy");
        JsonNode created = newToken(hank[1], "report", List.of());
        String path = "/admin/realms/" + REALM + "/keyward-api-tokens/users/" + hank[0];
        JsonNode listed = admin.get(path);
        assertEquals(1, listed.size());
        assertFalse(listed.toString().contains(created.path("token").asText()));
        assertEquals(403, api.send("GET", path, ivy[1], null, null).status(), "a user is no admin");
        assertEquals(
                404, admin.exchange("DELETE", path + "/AAAAAAAAAAAAAAAA", null).statusCode());
        assertEquals(
                404,
                admin.exchange("GET", "/admin/realms/" + REALM + "/keyward-api-tokens/users/nobody", null)
                        .statusCode());
        assertEquals(
                204,
                admin.send("DELETE", path + "/" + created.path("id").asText(), null)
                        .statusCode());
        assertEquals(400, exchange(EXCHANGE, created.path("token").asText()).status());

        // a deleted user's tokens go with the user
        JsonNode second = newToken(ivy[1], "gone", List.of());
        admin.send("DELETE", "/admin/realms/" + REALM + "/users/" + ivy[0], null);
        assertEquals(400, exchange(EXCHANGE, second.path("token").asText()).status());
        assertEquals(0, rows(ivy[0]));
    }

    @Test
    void theHeaderProxyTakesTheExchangedTokenAndTheBasicCheckAnswersAReverseProxy() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream(1024)) {
            Map<String, Object> proxy = new LinkedHashMap<>();
            proxy.put("baseUrl", upstream.baseUrl() + "/api");
            proxy.put("allowHttp", true);
            proxy.put("pathPrefixes", List.of("/echo"));
            proxy.put("methods", List.of("GET"));
            proxy.put("privateRanges", List.of("127.0.0.1/32"));
            admin.send(
                    "PUT",
                    "/admin/realms/" + REALM + "/keyward-vault/providers/echo",
                    Map.of("displayName", "Echo", "credentialKind", "bearer", "proxy", proxy));
            String[] jack = user("jack");
            String upstreamSecret = "upstream-" + KeycloakServer.randomSecret();
            TestSecrets.record(TestSecrets.Kind.PROVIDER_SECRET, upstreamSecret);
            assertEquals(
                    201,
                    api.userJson("PUT", REALM, "credentials/echo", jack[1], Map.of("secret", upstreamSecret))
                            .status());
            JsonNode created = newToken(jack[1], "proxy script", List.of(AdminApi.PROXY_SCOPE));
            String text = created.path("token").asText();

            String access = accessFrom(text);
            VaultApi.Answer proxied =
                    api.send("GET", "/realms/" + REALM + "/header-proxy/echo/echo", access, null, null);
            assertEquals(200, proxied.status(), proxied.body());
            assertEquals(
                    "Bearer " + upstreamSecret,
                    upstream.seenPath("/api/echo").get(0).header("Authorization"),
                    "the upstream got the user's stored credential");
            assertEquals(
                    403,
                    api.user("GET", REALM, "credentials", access, null, null).status(),
                    "a proxy-only token is not a vault token");

            // HTTP Basic for a reverse proxy: off until the realm turns it on
            String basic = "/realms/" + REALM + "/api-tokens/basic";
            assertEquals(404, basic(basic, jack[3], text).status());
            admin.send(
                    "PUT", "/admin/realms/" + REALM, Map.of("attributes", Map.of("keyward.apiTokens.basic", "true")));
            VaultApi.Answer ok = basic(basic + "?scope=" + AdminApi.PROXY_SCOPE, jack[3], text);
            assertEquals(204, ok.status(), ok.body());
            assertEquals(jack[3], ok.header("X-Keyward-User"));
            assertEquals(jack[0], ok.header("X-Keyward-User-Id"));
            assertEquals(AdminApi.PROXY_SCOPE, ok.header("X-Keyward-Scopes"));
            VaultApi.Answer wrongUser = basic(basic, "someone-else", text);
            assertEquals(401, wrongUser.status());
            assertTrue(wrongUser.header("WWW-Authenticate").startsWith("Basic realm=\"" + REALM + "\""));
            assertEquals(
                    403,
                    basic(basic + "?scope=" + AdminApi.VAULT_SCOPE, jack[3], text)
                            .status());
            assertEquals(401, basic(basic, jack[3], null).status());
            JsonNode seen = lastEvent("INTROSPECT_TOKEN", jack[0]);
            assertEquals(
                    created.path("id").asText(),
                    seen.path("details").path("api_token_id").asText());

            api.send(
                    "DELETE",
                    "/realms/" + REALM + "/api-tokens/" + created.path("id").asText(),
                    jack[1],
                    null,
                    null);
            assertEquals(401, basic(basic, jack[3], text).status(), "revoked");
            assertEquals(
                    401,
                    api.send("GET", "/realms/" + REALM + "/header-proxy/echo/echo", access, null, null)
                            .status(),
                    "the proxy refuses the revoked token's access token at once");
        } finally {
            admin.send(
                    "PUT", "/admin/realms/" + REALM, Map.of("attributes", Map.of("keyward.apiTokens.basic", "false")));
        }
    }

    private static VaultApi.Answer basic(String path, String user, String password) {
        Map<String, String> headers = password == null
                ? Map.of()
                : Map.of(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return api.send("GET", path, null, null, null, headers);
    }

    private static int rows(String userId) {
        try (Connection c = keycloak.sql();
                PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM KEYWARD_API_TOKEN WHERE USER_ID = ?")) {
            q.setString(1, userId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The newest event of {@code type} (for {@code userId}, or anyone), waiting up to 10 s. */
    private static JsonNode lastEvent(String type, String userId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            JsonNode events = admin.get("/admin/realms/" + REALM + "/events?type=" + type
                    + (userId == null ? "" : "&user=" + userId) + "&max=1");
            if (!events.isEmpty()) {
                return events.get(0);
            }
            assertTrue(System.nanoTime() < deadline, "no " + type + " event");
            KeycloakServer.sleep(Duration.ofMillis(200));
        }
    }
}
