package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
 * OPAQUE end to end in a real browser: headless Chromium runs the page script
 * (keyward-opaque.js with @serenity-kit/opaque, Argon2id at the default t=3, m=64 MiB, p=4)
 * against the real Keycloak. A user with a legacy password sets an OPAQUE password on the
 * required-action page, then logs in through the OPAQUE form; each time the relying party gets a
 * code (authorization code + PKCE S256) and exchanges it with Nimbus. A wrong password and an
 * unknown user both end on the realm's "Invalid username or password." without a code, and the
 * password never reaches Keycloak's log. Own realm (like OpaqueWireIT), set up step by step
 * through the admin API (the demo realm's flows are the export's and stay untouched); the client
 * is set up like keyward-demo.
 * Each test method gets a fresh browser from BrowserExtension, so each login is a fresh session.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpaqueBrowserLoginIT {
    private static final String REALM = "opaque-browser-it";
    private static final String CLIENT = "opaque-demo";
    private static final String USERNAME = "alice";
    private static final String LEGACY_PASSWORD = "Legacy-" + KeycloakServer.randomSecret();
    // random per run, so finding it in the log cannot be a coincidence
    private static final String PASSWORD = "Opaque-" + KeycloakServer.randomSecret();
    private static final String INVALID = "Invalid username or password.";
    // Argon2id in the browser takes seconds on a small machine; the KSF stays at its defaults
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode DEFAULT_KSF = JSON.createObjectNode().put("t", 3).put("m", 65536).put("p", 4);

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static String userId;

    @BeforeAll
    static void realm() {
        keycloak = KeycloakServer.get();
        admin = new AdminApi(keycloak);
        OpaqueRealm.create(admin, REALM, Map.of("loginWithEmailAllowed", true));
        admin.send("POST", "/admin/realms/" + REALM + "/clients", Map.of("clientId", CLIENT, "publicClient", true,
                "standardFlowEnabled", true, "directAccessGrantsEnabled", false, "redirectUris", List.of(),
                "attributes", Map.of("pkce.code.challenge.method", "S256")));
        userId = OpaqueRealm.createLegacyUser(admin, REALM, USERNAME, "alice@example.test", LEGACY_PASSWORD);
    }

    @Test
    @Order(1)
    void legacyUserSetsAnOpaquePasswordInTheBrowser() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty flow = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            driver.get(flow.authorizationUri().toString());
            // the realm still has Keycloak's password form: the legacy password gets alice in once
            OpaqueForms.keycloakPasswordLogin(driver, wait, USERNAME, LEGACY_PASSWORD);
            OpaqueForms.register(driver, wait, PASSWORD);

            IDTokenClaimsSet claims = flow.finish(driver, WAIT);
            assertEquals(USERNAME, claims.getStringClaim("preferred_username"));
        }
        JsonNode creds = admin.get("/admin/realms/" + REALM + "/users/" + userId + "/credentials");
        assertEquals(1, creds.size(), creds.toString());
        assertEquals("keyward-opaque", creds.get(0).get("type").asText(), "legacy password replaced");
        OpaqueRealm.useOpaqueBrowserFlow(admin, REALM);
    }

    @Test
    @Order(2)
    void opaqueLoginInAFreshSessionGivesTokens() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty flow = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            submitOpaqueLogin(driver, wait, flow.authorizationUri(), USERNAME, PASSWORD);
            IDTokenClaimsSet claims = flow.finish(driver, WAIT);
            assertEquals(USERNAME, claims.getStringClaim("preferred_username"));
        }
    }

    @Test
    @Order(3)
    void wrongPasswordAndUnknownUserGetTheSameMessageAndNoCode() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty flow = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            String unknown = "nobody-" + KeycloakServer.randomSecret().substring(0, 8).toLowerCase(Locale.ROOT);
            for (String[] attempt : List.of(new String[] {USERNAME, "Wrong-" + PASSWORD}, new String[] {unknown, PASSWORD})) {
                WebElement form = submitOpaqueLogin(driver, wait, flow.authorizationUri(), attempt[0], attempt[1]);
                // the page script finishes with a stand-in KE3 and submits; Keycloak answers with its login page again
                wait.until(ExpectedConditions.stalenessOf(form));
                wait.until(d -> d.getPageSource().contains(INVALID));
                assertTrue(driver.getCurrentUrl().startsWith(keycloak.realmUri(REALM).toString()), driver.getCurrentUrl());
                assertTrue(driver.findElement(By.cssSelector("form[data-keyward-opaque='login']")).isDisplayed());
                assertFalse(driver.getCurrentUrl().contains("code="), driver.getCurrentUrl());
            }
            // Keycloak redirects in the response to the KE3 post, so a code would have arrived by now
            assertThrows(TimeoutException.class, () -> callback.awaitRedirect(Duration.ofSeconds(2)), "no code issued");
        }
    }

    @Test
    @Order(4)
    void thePasswordNeverReachesKeycloaksLog() throws Exception {
        String log = Files.readString(keycloak.logFile());
        assertFalse(log.isEmpty(), "log file " + keycloak.logFile() + " is empty");
        assertFalse(log.contains(PASSWORD), "OPAQUE password in " + keycloak.logFile());
        assertFalse(log.contains(LEGACY_PASSWORD), "legacy password in " + keycloak.logFile());
    }

    /** Opens the authorization URL, submits the OPAQUE login form and returns it (stale once the page script posts KE3). */
    private static WebElement submitOpaqueLogin(WebDriver driver, WebDriverWait wait, URI authorize, String username, String password)
            throws Exception {
        driver.get(authorize.toString());
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("form[data-keyward-opaque='login']")));
        assertTrue(driver.getCurrentUrl().startsWith(keycloak.realmUri(REALM) + "/protocol/openid-connect/auth"),
                driver.getCurrentUrl());
        assertFalse(driver.getPageSource().contains(INVALID), "error shown before this attempt");
        // the browser really stretches with the default Argon2id, not with test-only cheap parameters
        assertEquals(DEFAULT_KSF, JSON.readTree(form.getAttribute("data-ksf")));
        driver.findElement(By.id("username")).clear();
        driver.findElement(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("kc-login")).click();
        return form;
    }
}
