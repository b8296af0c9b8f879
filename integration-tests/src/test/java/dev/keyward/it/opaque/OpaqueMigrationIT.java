package dev.keyward.it.opaque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.BrowserExtension;
import dev.keyward.it.harness.CallbackServer;
import dev.keyward.it.harness.Forms;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import dev.keyward.it.harness.OpaqueForms;
import dev.keyward.it.harness.OpaqueRealm;
import dev.keyward.it.harness.RelyingParty;
import dev.keyward.it.harness.WireClient;
import dev.keyward.opaque.Ksf;
import dev.keyward.opaque.OpaqueClient;
import dev.keyward.opaque.OpaqueConfiguration;
import dev.keyward.opaque.OpaqueSuite;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Legacy-password migration end to end in headless Chromium: a realm whose browser flow is the
 * OPAQUE form with {@code legacyMigration=true}, and a user who has only a Keycloak password (no
 * required action). He signs in once on the OPAQUE form with that password (after one wrong try
 * on the same page); the relying party gets a code; afterwards he has an OPAQUE credential and no
 * Keycloak password, the admin count moved from legacy to OPAQUE, and the next login in a fresh
 * browser is pure OPAQUE. Unknown names of both coin kinds get the same message; with migration
 * off, a legacy user cannot sign in and nothing changes; the count endpoint needs view-users.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@KeywardTest
class OpaqueMigrationIT {
    private static final String REALM = "opaque-migration-it";
    private static final String CLIENT = "migration-demo";
    // random per run, so finding them in the log cannot be a coincidence
    private static final String DAVE_PASSWORD = "Legacy-" + KeycloakServer.randomSecret();
    private static final String ERIN_PASSWORD = "Erin-" + KeycloakServer.randomSecret();
    private static final String FRANK_TEMPORARY = "Temporary-" + KeycloakServer.randomSecret();
    private static final String FRANK_PASSWORD = "Frank-" + KeycloakServer.randomSecret();
    private static final String INVALID = "Invalid username or password.";
    // Argon2id (t=3, 64 MiB) runs in the browser: seconds on a small machine
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static String daveId;
    private static String configId;

    @BeforeAll
    static void realm() {
        OpaqueRealm.create(
                admin, REALM, Map.of("bruteForceProtected", true, "failureFactor", 5, "eventsEnabled", true));
        admin.createPublicPkceClient(REALM, CLIENT, List.of());
        daveId = admin.createUser(REALM, "dave", "dave@example.test", DAVE_PASSWORD);
        configId = OpaqueRealm.useOpaqueBrowserFlowWithMigration(admin, REALM);
    }

    @Test
    @Order(1)
    void legacyUserMigratesWithOneLoginAfterAWrongTry() throws Exception {
        assertArrayEquals(new long[] {1, 0}, OpaqueRealm.migrationCounts(admin, REALM));
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);

            WebElement form = submit(driver, wait, rp.authorizationUri(), "dave", "Wrong-" + DAVE_PASSWORD);
            // the legacy step failed: the page stays and shows the realm's usual message
            wait.until(d -> OpaqueForms.visibleText(d).contains(INVALID));
            assertTrue(form.isDisplayed());
            assertEquals("", driver.findElement(By.id("password")).getAttribute("value"), "password field cleared");
            assertThrows(TimeoutException.class, () -> callback.awaitRedirect(Duration.ofSeconds(2)), "no code issued");
            assertEquals(1, awaitFailures(daveId, 1), "one wrong legacy password is one brute-force failure");
            assertEquals(List.of("password"), credentialTypes(daveId), "nothing migrated");
            assertArrayEquals(new long[] {1, 0}, OpaqueRealm.migrationCounts(admin, REALM));

            // the same page again (its form now points at the fresh action URL), right password
            driver.findElement(By.id("password")).sendKeys(DAVE_PASSWORD);
            OpaqueForms.submit(driver, wait);
            IDTokenClaimsSet claims = rp.finish(driver, WAIT);
            assertEquals("dave", claims.getStringClaim("preferred_username"));
        }
        assertEquals(List.of("keyward-opaque"), credentialTypes(daveId), "OPAQUE record in, legacy password out");
        assertArrayEquals(new long[] {0, 1}, OpaqueRealm.migrationCounts(admin, REALM));
        assertEquals(0, awaitFailures(daveId, 0), "the successful login cleared the count");
        List<JsonNode> logins = logins(daveId);
        assertEquals(1, logins.size(), logins.toString());
        assertEquals(
                "true", logins.get(0).path("details").path("keyward_migrated").asText(), logins.toString());
        assertEquals(
                "1",
                logins.get(0).path("details").path("legacy_passwords_removed").asText());
    }

    @Test
    @Order(2)
    void nextLoginInAFreshBrowserIsPureOpaque() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            submit(driver, wait, rp.authorizationUri(), "dave", DAVE_PASSWORD);
            assertEquals("dave", rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
        List<JsonNode> logins = logins(daveId);
        assertEquals(2, logins.size(), logins.toString());
        // newest first: the second login carried no legacy password and migrated nothing
        assertTrue(
                logins.get(0).path("details").path("keyward_migrated").isMissingNode(),
                logins.get(0).toString());
        assertEquals(
                "keyward-opaque",
                logins.get(0).path("details").path("credential_type").asText(),
                logins.get(0).toString());
        assertArrayEquals(new long[] {0, 1}, OpaqueRealm.migrationCounts(admin, REALM));
    }

    @Test
    @Order(3)
    void unknownNamesOfBothKindsGetTheSameMessage() throws Exception {
        for (boolean legacy : new boolean[] {true, false}) {
            String name = unknownName(legacy);
            try (CallbackServer callback = new CallbackServer()) {
                RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
                WebDriver driver = browser.driver();
                WebDriverWait wait = new WebDriverWait(driver, WAIT);
                submit(driver, wait, rp.authorizationUri(), name, DAVE_PASSWORD);
                wait.until(d -> OpaqueForms.visibleText(d).contains(INVALID));
                assertTrue(driver.findElement(OpaqueForms.LOGIN_FORM).isDisplayed());
                assertThrows(
                        TimeoutException.class,
                        () -> callback.awaitRedirect(Duration.ofSeconds(2)),
                        "no code for " + name);
            }
        }
        assertArrayEquals(new long[] {0, 1}, OpaqueRealm.migrationCounts(admin, REALM));
    }

    @Test
    @Order(4)
    void countEndpointNeedsViewUsers() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI endpoint = keycloak.baseUri().resolve("/admin/realms/" + REALM + "/keyward-opaque/migration");
        assertEquals(
                401,
                http.send(HttpRequest.newBuilder(endpoint).GET().build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode(),
                "no token");

        String name = "migration-viewer-" + System.nanoTime();
        String password = KeycloakServer.randomSecret();
        String userId = admin.createUser("master", name, name + "@example.test", password);
        HttpResponse<String> denied = http.send(
                HttpRequest.newBuilder(endpoint)
                        .header("Authorization", "Bearer " + masterToken(name, password))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, denied.statusCode(), "a master user without admin roles");
        assertFalse(denied.body().contains("legacyPasswordUsers"));

        // realm-management role view-users for this realm (client <realm>-realm in master)
        JsonNode realmClient = admin.client("master", REALM + "-realm");
        String clientUuid = realmClient.get("id").asText();
        JsonNode role = admin.get("/admin/realms/master/clients/" + clientUuid + "/roles/view-users");
        admin.send(
                "POST", "/admin/realms/master/users/" + userId + "/role-mappings/clients/" + clientUuid, List.of(role));
        HttpResponse<String> allowed = http.send(
                HttpRequest.newBuilder(endpoint)
                        .header("Authorization", "Bearer " + masterToken(name, password))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, allowed.statusCode(), allowed.body());
        JsonNode counts = JSON.readTree(allowed.body());
        assertEquals(0, counts.get("legacyPasswordUsers").asLong());
        assertEquals(1, counts.get("opaqueUsers").asLong());
        admin.send("DELETE", "/admin/realms/master/users/" + userId, null);
    }

    @Test
    @Order(5)
    void withMigrationOffALegacyUserCannotSignInAndNothingChanges() throws Exception {
        String erinId = admin.createUser(REALM, "erin", "erin@example.test", ERIN_PASSWORD);
        assertArrayEquals(new long[] {1, 1}, OpaqueRealm.migrationCounts(admin, REALM));
        OpaqueRealm.setLegacyMigration(admin, REALM, configId, false);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            WebElement form = submit(driver, wait, rp.authorizationUri(), "erin", ERIN_PASSWORD);
            // a fake KE2, the stand-in KE3, and Keycloak's page with the usual message
            wait.until(ExpectedConditions.stalenessOf(form));
            wait.until(d -> OpaqueForms.visibleText(d).contains(INVALID));
            assertThrows(TimeoutException.class, () -> callback.awaitRedirect(Duration.ofSeconds(2)), "no code issued");
        } finally {
            OpaqueRealm.setLegacyMigration(admin, REALM, configId, true);
        }
        assertEquals(List.of("password"), credentialTypes(erinId));
        assertArrayEquals(new long[] {1, 1}, OpaqueRealm.migrationCounts(admin, REALM));
        assertTrue(logins(erinId).isEmpty());
    }

    @Test
    @Order(6)
    void aTemporaryPasswordLeadsToAnOpaquePasswordOfTheUsersChoice() throws Exception {
        String frankId = admin.createUserWithTemporaryPassword(REALM, "frank", "frank@example.test", FRANK_TEMPORARY);
        assertEquals(
                "[\"UPDATE_PASSWORD\"]",
                admin.get("/admin/realms/" + REALM + "/users/" + frankId)
                        .path("requiredActions")
                        .toString());
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            submit(driver, wait, rp.authorizationUri(), "frank", FRANK_TEMPORARY);
            // no code yet: the admin's password is not his, he chooses an OPAQUE password first
            OpaqueForms.register(driver, wait, FRANK_PASSWORD);
            assertEquals("frank", rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
        // the temporary password is gone (and no Keycloak password was asked for); his own works
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty again = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            submit(driver, wait, again.authorizationUri(), "frank", FRANK_TEMPORARY);
            OpaqueForms.awaitInvalid(driver, wait);
            submit(driver, wait, again.authorizationUri(), "frank", FRANK_PASSWORD);
            assertEquals("frank", again.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
        assertEquals(List.of("keyward-opaque"), credentialTypes(frankId));
        assertEquals(
                0,
                admin.get("/admin/realms/" + REALM + "/users/" + frankId)
                        .path("requiredActions")
                        .size(),
                "UPDATE_PASSWORD replaced, and the OPAQUE action done");
    }

    @Test
    @Order(7)
    void legacyPasswordsNeverReachTheLogOrEvents() throws Exception {
        String log = Files.readString(keycloak.logFile());
        assertFalse(log.isEmpty(), "log file " + keycloak.logFile() + " is empty");
        String events = admin.get("/admin/realms/" + REALM + "/events?max=500").toString();
        assertTrue(events.contains("keyward_migrated"), "the events were read");
        for (String secret : List.of(DAVE_PASSWORD, ERIN_PASSWORD, FRANK_TEMPORARY, FRANK_PASSWORD)) {
            assertFalse(log.contains(secret), "legacy password in " + keycloak.logFile());
            assertFalse(events.contains(secret), "legacy password in the events");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** Opens the authorization URL and submits the OPAQUE login form; returns the form. */
    private static WebElement submit(
            WebDriver driver, WebDriverWait wait, URI authorize, String username, String password) {
        driver.get(authorize.toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
        assertFalse(OpaqueForms.visibleText(driver).contains(INVALID), "error shown before this attempt");
        // the guarantee the migration keeps: the password input is never part of a form submission
        assertEquals(null, driver.findElement(By.id("password")).getDomAttribute("name"));
        return OpaqueForms.login(driver, wait, username, password);
    }

    /** An unknown name whose keyed coin answers KE1 with the legacy step (or with a fake KE2). */
    private static String unknownName(boolean legacy) throws Exception {
        OpaqueClient client =
                new OpaqueClient(new OpaqueConfiguration(OpaqueSuite.RISTRETTO255_SHA512, new byte[0], Ksf.IDENTITY));
        String ke1 = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(client.startLogin(new byte[] {1}).ke1().toBytes());
        String authorize = keycloak.realmUri(REALM) + "/protocol/openid-connect/auth?client_id=" + CLIENT
                + "&response_type=code&scope=openid&redirect_uri="
                + URLEncoder.encode("http://127.0.0.1:9/cb", StandardCharsets.UTF_8)
                + "&code_challenge=" + "x".repeat(43) + "&code_challenge_method=S256";
        admin.addRedirectUri(REALM, CLIENT, URI.create("http://127.0.0.1:9/cb"));
        for (int i = 0; i < 64; i++) {
            String name = "nobody-" + System.nanoTime();
            WireClient probe = new WireClient(keycloak);
            HttpResponse<String> page = probe.get(authorize);
            HttpResponse<String> answer =
                    probe.post(Forms.action(page.body()), Map.of("opaque_step", "ke1", "username", name, "ke1", ke1));
            if (JSON.readTree(answer.body()).has("legacy") == legacy) {
                return name;
            }
        }
        throw new AssertionError("no unknown name with legacy=" + legacy + " in 64 tries");
    }

    private static List<String> credentialTypes(String id) {
        List<String> types = new ArrayList<>();
        admin.get("/admin/realms/" + REALM + "/users/" + id + "/credentials")
                .forEach(c -> types.add(c.get("type").asText()));
        return types;
    }

    /** The user's LOGIN events, newest first. */
    private static List<JsonNode> logins(String id) {
        List<JsonNode> events = new ArrayList<>();
        admin.get("/admin/realms/" + REALM + "/events?type=LOGIN&user=" + id + "&max=50")
                .forEach(events::add);
        return events;
    }

    private static int awaitFailures(String id, int expected) throws InterruptedException {
        int n = -1;
        for (int i = 0; i < 50; i++) { // the brute-force protector records asynchronously
            n = admin.get("/admin/realms/" + REALM + "/attack-detection/brute-force/users/" + id)
                    .get("numFailures")
                    .asInt();
            if (n == expected) {
                return n;
            }
            Thread.sleep(100);
        }
        return n;
    }

    private static String masterToken(String username, String password) throws Exception {
        String form = Forms.encode(
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", username, "password", password));
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        keycloak.baseUri().resolve("/realms/master/protocol/openid-connect/token"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(form))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("access_token").asText();
    }
}
