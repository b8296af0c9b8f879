package dev.keyward.it.opaque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.Browser;
import dev.keyward.it.harness.BrowserExtension;
import dev.keyward.it.harness.CallbackServer;
import dev.keyward.it.harness.ItConfig;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import dev.keyward.it.harness.OpaqueForms;
import dev.keyward.it.harness.OpaqueRealm;
import dev.keyward.it.harness.RelyingParty;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarFile;
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
@KeywardTest
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
    // OpaqueConstants.CREDENTIAL_TYPE, MSG_DISPLAY_NAME and MSG_HELP_TEXT (the provider is not a dependency here)
    private static final String CREDENTIAL_TYPE = "keyward-opaque";
    private static final String DISPLAY_NAME_KEY = "keyward-opaque-display-name";
    private static final String HELP_TEXT_KEY = "keyward-opaque-help-text";
    private static final JsonNode DEFAULT_KSF =
            JSON.createObjectNode().put("t", 3).put("m", 65536).put("p", 4);

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension().capturingRequests();

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static String userId;

    @BeforeAll
    static void realm() {
        OpaqueRealm.create(admin, REALM, Map.of("loginWithEmailAllowed", true));
        admin.createPublicPkceClient(REALM, CLIENT, List.of());
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
        List<Browser.SentRequest> sent = browser.requests();
        // the capture works: it sees Keycloak's own password form post the legacy password
        assertTrue(
                sent.stream().anyMatch(r -> r.body().contains("password=" + form(LEGACY_PASSWORD))),
                () -> describe(sent));
        assertSentBodies(sent, "opaque_step=registration-request", "opaque_step=registration-record");
        assertNeverSent(sent, PASSWORD);
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
        List<Browser.SentRequest> sent = browser.requests();
        assertSentBodies(sent, "opaque_step=ke1", "opaque_step=ke3");
        assertNeverSent(sent, PASSWORD);
    }

    @Test
    @Order(3)
    void wrongPasswordAndUnknownUserGetTheSameMessageAndNoCode() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty flow = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            String unknown =
                    "nobody-" + KeycloakServer.randomSecret().substring(0, 8).toLowerCase(Locale.ROOT);
            for (String[] attempt :
                    List.of(new String[] {USERNAME, "Wrong-" + PASSWORD}, new String[] {unknown, PASSWORD})) {
                WebElement form = submitOpaqueLogin(driver, wait, flow.authorizationUri(), attempt[0], attempt[1]);
                // the page script finishes with a stand-in KE3 and submits; Keycloak answers with its login page again
                wait.until(ExpectedConditions.stalenessOf(form));
                wait.until(d -> d.findElement(By.tagName("body")).getText().contains(INVALID));
                assertTrue(
                        driver.getCurrentUrl()
                                .startsWith(keycloak.realmUri(REALM).toString()),
                        driver.getCurrentUrl());
                assertTrue(driver.findElement(OpaqueForms.LOGIN_FORM).isDisplayed());
                assertFalse(driver.getCurrentUrl().contains("code="), driver.getCurrentUrl());
            }
            // Keycloak redirects in the response to the KE3 post, so a code would have arrived by now
            assertThrows(TimeoutException.class, () -> callback.awaitRedirect(Duration.ofSeconds(2)), "no code issued");
        }
        List<Browser.SentRequest> sent = browser.requests();
        assertSentBodies(sent, "opaque_step=ke1", "opaque_step=ke3");
        assertNeverSent(sent, PASSWORD);
        assertNeverSent(sent, "Wrong-" + PASSWORD);
    }

    @Test
    @Order(4)
    void accountConsoleListsTheOpaquePasswordWithItsLabelAndAnUpdateAction() throws Exception {
        Properties messages = providerMessages();
        String label = messages.getProperty(DISPLAY_NAME_KEY);
        String help = messages.getProperty(HELP_TEXT_KEY);
        WebDriver driver = browser.driver();
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        // "Account security > Signing in"; the login comes back to it. (Straight there: the test
        // realm's OPAQUE flow has no cookie step, so a second page load would ask to log in again.)
        String signingIn = keycloak.realmUri(REALM) + "/account/account-security/signing-in";
        driver.get(signingIn);
        fillOpaqueLogin(driver, wait, USERNAME, PASSWORD);
        wait.until(d -> d.getCurrentUrl().startsWith(signingIn));
        // a React app: wait until it has rendered the OPAQUE credential's list
        WebElement list = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid='" + CREDENTIAL_TYPE + "/credential-list']")));
        String page = driver.findElement(By.tagName("body")).getText();
        // no raw message key or type name anywhere on the page
        assertFalse(page.contains(CREDENTIAL_TYPE), "raw key shown:\n" + page);
        assertEquals(
                label,
                driver.findElement(By.cssSelector("[data-testid='" + CREDENTIAL_TYPE + "/title']"))
                        .getText()
                        .trim());
        assertEquals(
                help,
                driver.findElement(By.cssSelector("[data-testid='" + CREDENTIAL_TYPE + "/help-text']"))
                        .getText()
                        .trim());
        // the credential's row: its label (user label, else the message named like the type) and "Update"
        assertEquals(
                label,
                list.findElement(By.cssSelector("[data-testrole='label']"))
                        .getText()
                        .trim(),
                page);
        WebElement update = list.findElement(By.cssSelector("[data-testrole='update']"));
        assertEquals("Update", update.getText().trim());
        assertTrue(update.isDisplayed() && update.isEnabled());
    }

    @Test
    @Order(5)
    void thePasswordNeverReachesKeycloaksLog() throws Exception {
        String log = Files.readString(keycloak.logFile());
        assertFalse(log.isEmpty(), "log file " + keycloak.logFile() + " is empty");
        assertFalse(log.contains(PASSWORD), "OPAQUE password in " + keycloak.logFile());
        assertFalse(log.contains(LEGACY_PASSWORD), "legacy password in " + keycloak.logFile());
    }

    /** Opens the authorization URL, submits the OPAQUE login form and returns it (stale once the page script posts KE3). */
    private static WebElement submitOpaqueLogin(
            WebDriver driver, WebDriverWait wait, URI authorize, String username, String password) throws Exception {
        driver.get(authorize.toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
        assertTrue(
                driver.getCurrentUrl().startsWith(keycloak.realmUri(REALM) + "/protocol/openid-connect/auth"),
                driver.getCurrentUrl());
        // visible text: the page carries the message for its script in data-msg-invalid
        assertFalse(
                driver.findElement(By.tagName("body")).getText().contains(INVALID), "error shown before this attempt");
        // no empty alert box: the theme's alert class would beat the hidden attribute
        assertFalse(driver.findElement(By.id("keyward-opaque-error")).isDisplayed(), "empty error box shown");
        return fillOpaqueLogin(driver, wait, username, password);
    }

    /** Fills in and submits the OPAQUE login form on the current page; returns the form. */
    private static WebElement fillOpaqueLogin(WebDriver driver, WebDriverWait wait, String username, String password)
            throws Exception {
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
        // the browser really stretches with the default Argon2id, not with test-only cheap parameters
        assertEquals(DEFAULT_KSF, JSON.readTree(form.getAttribute("data-ksf")));
        return OpaqueForms.login(driver, wait, username, password);
    }

    /** The request bodies include each of these steps: the capture saw the OPAQUE messages go out. */
    private static void assertSentBodies(List<Browser.SentRequest> sent, String... steps) {
        for (String step : steps) {
            assertTrue(
                    sent.stream()
                            .anyMatch(r -> "POST".equals(r.method()) && r.body().contains(step)),
                    () -> "no request body with " + step + ": " + describe(sent));
        }
    }

    /** Neither the password nor its form-encoded, percent-encoded, base64 or hex form is in any URL or body the browser sent. */
    private static void assertNeverSent(List<Browser.SentRequest> sent, String password) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        List<String> forms = List.of(
                password,
                form(password),
                Base64.getEncoder().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                HexFormat.of().formatHex(bytes));
        for (Browser.SentRequest r : sent) {
            for (String f : forms) {
                assertFalse(
                        r.body().contains(f) || r.url().contains(f),
                        () -> "password sent in " + r.method() + " " + r.url());
            }
        }
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String describe(List<Browser.SentRequest> sent) {
        StringBuilder sb = new StringBuilder(sent.size() + " requests:");
        // bodies left out: they may hold the legacy password
        sent.forEach(r -> sb.append("\n  ")
                .append(r.method())
                .append(' ')
                .append(r.url().replaceFirst("\\?.*", "?..."))
                .append(" body: ")
                .append(r.body().length())
                .append(" chars")
                .append(
                        r.body().contains("opaque_step=")
                                ? " " + r.body().replaceFirst("^.*(opaque_step=[a-z0-9-]+).*$", "$1")
                                : ""));
        return sb.toString();
    }

    /** The English messages the deployed provider JAR ships (what the account console must show). */
    private static Properties providerMessages() throws Exception {
        Path providers =
                Path.of(ItConfig.get("keyward.it.keycloak.home", "../keycloak-dist/target/keycloak"), "providers");
        try (var jars = Files.list(providers)) {
            Path jar = jars.filter(p -> p.getFileName().toString().startsWith("keyward-opaque-authenticator-"))
                    .findFirst()
                    .orElseThrow();
            try (JarFile file = new JarFile(jar.toFile())) {
                Properties messages = new Properties();
                try (var in = file.getInputStream(file.getEntry("theme-resources/messages/messages_en.properties"))) {
                    messages.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                }
                return messages;
            }
        }
    }
}
