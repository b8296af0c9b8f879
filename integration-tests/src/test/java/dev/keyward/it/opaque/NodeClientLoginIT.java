package dev.keyward.it.opaque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import dev.keyward.it.harness.NodeClient;
import dev.keyward.it.harness.OpaqueRealm;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The wire API as a non-browser client speaks it: {@code src/test/node/opaque-login.mjs}
 * (@serenity-kit/opaque 1.1.0 under Node, fetch, its own cookie jar; the executable reference of
 * opaque-authenticator/WIRE.md) against the real Keycloak. The same script registers the OPAQUE
 * password (through the required action, after one login with the legacy password) and then
 * logs in with it, so registration and login stretch the password with the same KSF: the one the
 * realm's pages announce in data-ksf (the default Argon2id), read by the script as the page does.
 * Authorization code + PKCE S256 up to the redirect to the client's redirect URI (nothing listens
 * there: the script stops at the Location header), then the token endpoint.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@KeywardTest
class NodeClientLoginIT {
    private static final String REALM = "node-client-it";
    private static final String CLIENT = "node-client";
    // nothing listens there: the script reads the code from the Location header
    private static final String REDIRECT = "http://127.0.0.1:9/callback";
    private static final String USERNAME = "alice";
    private static final String LEGACY_PASSWORD = "Legacy-" + KeycloakServer.randomSecret();
    private static final String PASSWORD = "Opaque-" + KeycloakServer.randomSecret();
    private static final String INVALID = "Invalid username or password.";

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static String userId;

    @BeforeAll
    static void realm() {
        OpaqueRealm.create(admin, REALM, Map.of("loginWithEmailAllowed", true));
        admin.createPublicPkceClient(REALM, CLIENT, List.of(REDIRECT));
        userId = OpaqueRealm.createLegacyUser(admin, REALM, USERNAME, "alice@example.test", LEGACY_PASSWORD);
    }

    @Test
    @Order(1)
    void nodeClientSetsTheOpaquePasswordThroughTheRequiredAction() throws Exception {
        JsonNode result = run("register", USERNAME, PASSWORD, LEGACY_PASSWORD);
        assertTrue(result.get("ok").asBoolean(), result.toString());
        assertEquals(userId, result.at("/idToken/sub").asText());
        JsonNode creds = admin.get("/admin/realms/" + REALM + "/users/" + userId + "/credentials");
        assertEquals(1, creds.size(), creds.toString());
        assertEquals("keyward-opaque", creds.get(0).get("type").asText(), "legacy password replaced");
        OpaqueRealm.useOpaqueBrowserFlow(admin, REALM);
    }

    @Test
    @Order(2)
    void nodeClientLogsInWithOpaqueAndGetsTokens() throws Exception {
        JsonNode result = run("login", USERNAME, PASSWORD, null);
        assertTrue(result.get("ok").asBoolean(), result.toString());
        assertTrue(result.get("clientAccepted").asBoolean(), "the server authenticated itself to the client");
        assertEquals(userId, result.at("/idToken/sub").asText());
        assertEquals(USERNAME, result.at("/idToken/preferred_username").asText());
        assertEquals(userId, result.at("/accessToken/sub").asText());
        assertEquals(USERNAME, result.at("/accessToken/preferred_username").asText());
        assertEquals(CLIENT, result.at("/accessToken/azp").asText());
        assertEquals(
                keycloak.realmUri(REALM).toString(),
                result.at("/accessToken/iss").asText());
    }

    @Test
    @Order(3)
    void wrongPasswordAndUnknownUserGetTheSamePageAndNoCode() throws Exception {
        String unknown =
                "nobody-" + KeycloakServer.randomSecret().substring(0, 8).toLowerCase(Locale.ROOT);
        for (String[] attempt :
                List.of(new String[] {USERNAME, "Wrong-" + PASSWORD}, new String[] {unknown, PASSWORD})) {
            JsonNode result = run("login", attempt[0], attempt[1], null);
            assertFalse(result.get("ok").asBoolean(), result.toString());
            assertEquals("no_code", result.get("error").asText(), result.toString());
            assertEquals(200, result.get("status").asInt(), result.toString());
            assertEquals(INVALID, result.get("message").asText(), result.toString());
            assertFalse(result.get("clientAccepted").asBoolean(), result.toString());
            assertNull(result.get("idToken"));
        }
    }

    /** Runs the script (harness {@link NodeClient}); its stderr goes to the test output. */
    private static JsonNode run(String mode, String username, String password, String legacyPassword) throws Exception {
        return new NodeClient(keycloak.realmUri(REALM).toString(), CLIENT, REDIRECT)
                .run(mode, username, password, legacyPassword);
    }
}
