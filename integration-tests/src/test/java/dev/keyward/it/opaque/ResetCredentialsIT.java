package dev.keyward.it.opaque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.BrowserExtension;
import dev.keyward.it.harness.CallbackServer;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import dev.keyward.it.harness.Mailbox;
import dev.keyward.it.harness.OpaqueForms;
import dev.keyward.it.harness.OpaqueRealm;
import dev.keyward.it.harness.RealmExport;
import dev.keyward.it.harness.RelyingParty;
import dev.keyward.it.harness.TestNames;
import dev.keyward.it.realm.BrowserLoginIT;
import dev.keyward.it.realm.RealmImportIT;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * "Forgot password?" with the export's reset-credentials flow (Choose User, Send Reset Email,
 * keyward-opaque-reset), end to end: Chromium, the real Keycloak, and GreenMail as the realm's
 * SMTP server. A user who has an OPAQUE password asks for a reset, opens the link from the email
 * (laid out by the export's email theme, keyward), registers a new OPAQUE password on
 * register-opaque and is signed in (the relying party gets a code and valid tokens); afterwards
 * the old password fails and the new one works. A reset for an
 * unknown username shows the same page and sends nothing, and a realm without the enabled
 * registration action gets no password-less sign-in out of a reset. Own realm, imported from the export
 * under another name, so the demo realm stays as other tests expect it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@KeywardTest
class ResetCredentialsIT {
    private static final String REALM = "keyward-reset-it";
    private static final String CLIENT = RealmImportIT.CLIENT;
    private static final String USERNAME = "alice";
    private static final String EMAIL = "alice@example.test";
    private static final String LEGACY_PASSWORD = "Legacy-" + KeycloakServer.randomSecret();
    private static final String OLD_PASSWORD = "Old-" + KeycloakServer.randomSecret();
    private static final String NEW_PASSWORD = "New-" + KeycloakServer.randomSecret();
    private static final String EMAIL_SENT = "You should receive an email shortly with further instructions.";
    private static final Pattern RESET_LINK = Pattern.compile("https?://\\S+/login-actions/action-token\\?\\S+");
    // themes/.../email/html/template.ftl: the realm's display name (the export's) in the header cell
    private static final Pattern KEYWARD_EMAIL_HEADER =
            Pattern.compile("id=\"keyward-email-header\"[^>]*>Keyward demo<");
    // Argon2id (default parameters) runs in the browser for every OPAQUE step
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs, this class's mailbox
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static Mailbox mailbox;

    @BeforeAll
    static void realm() {
        // Keycloak's password form until alice has her first OPAQUE password (test 1), then the export's OPAQUE flow
        RealmExport.importAs(keycloak, admin, REALM, Map.of("browserFlow", "browser"));
        admin.updateRealm(REALM, Map.of("smtpServer", mailbox.realmSmtp()));
        OpaqueRealm.createLegacyUser(admin, REALM, USERNAME, EMAIL, LEGACY_PASSWORD);
    }

    @Test
    @Order(1)
    void aliceHasAnOpaquePassword() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.keycloakPasswordLogin(driver, wait, USERNAME, LEGACY_PASSWORD);
            OpaqueForms.register(driver, wait, OLD_PASSWORD);
            assertEquals(USERNAME, rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
        assertEquals(List.of("keyward-opaque"), credentialTypes());
        admin.updateRealm(REALM, Map.of("browserFlow", "keyward browser"));
    }

    @Test
    @Order(2)
    void forgotPasswordEmailLinkEndsInANewOpaquePasswordAndASignIn() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            driver.get(rp.authorizationUri().toString());
            driver.get(resetLinkFor(driver, wait).toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.REGISTER_FORM));
            BrowserLoginIT.assertKeywardTheme(driver);
            assertFalse(driver.findElement(By.id("keyward-opaque-error")).isDisplayed());
            OpaqueForms.register(driver, wait, NEW_PASSWORD);
            IDTokenClaimsSet claims = rp.finish(driver, WAIT);
            assertEquals(USERNAME, claims.getStringClaim("preferred_username"));
            assertEquals(keycloak.realmUri(REALM).toString(), claims.getIssuer().getValue());
        }
        assertEquals(List.of("keyward-opaque"), credentialTypes(), "still one OPAQUE credential, no Keycloak password");
    }

    @Test
    @Order(3)
    void afterTheResetTheOldPasswordFailsAndTheNewOneWorks() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, USERNAME, OLD_PASSWORD);
            OpaqueForms.awaitInvalid(driver, wait);
            assertThrows(
                    TimeoutException.class,
                    () -> callback.awaitRedirect(Duration.ofSeconds(1)),
                    "no code for the old password");

            OpaqueForms.login(driver, wait, USERNAME, NEW_PASSWORD);
            assertEquals(USERNAME, rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
    }

    @Test
    @Order(4)
    void unknownUsernameGetsTheSamePageAndNoEmail() throws Exception {
        String bob = "bob-" + KeycloakServer.randomSecret().substring(0, 8).toLowerCase(Locale.ROOT);
        admin.createUser(REALM, bob, bob + "@example.test", TestNames.password());
        String unknown =
                "nobody-" + KeycloakServer.randomSecret().substring(0, 8).toLowerCase(Locale.ROOT);
        int mailsBefore = mailbox.count();
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);

            driver.get(rp.authorizationUri().toString());
            String unknownMessage = requestReset(driver, wait, unknown);
            String unknownPage = pageShape(driver);
            // Keycloak sends in the request: a mail for the unknown name would be here by now
            assertEquals(mailsBefore, mailbox.count(), "email sent for an unknown username");

            driver.get(rp.authorizationUri().toString());
            String knownMessage = requestReset(driver, wait, bob);
            assertEquals(unknownMessage, knownMessage);
            assertEquals(unknownPage, pageShape(driver));
        }
        assertTrue(mailbox.arrived(mailsBefore + 1, WAIT), "no email for the known user");
        assertEquals(mailsBefore + 1, mailbox.count(), "exactly one email: the known user's");
        assertEquals(1, mailbox.to(bob + "@example.test").size());
    }

    /**
     * Keycloak silently skips a required action the realm has disabled: keyward-opaque-reset must
     * then stop the reset instead of signing the user in without a new password.
     */
    @Test
    @Order(5)
    void withTheRegistrationActionDisabledTheResetStopsWithoutSigningIn() throws Exception {
        String actionPath = "/admin/realms/" + REALM + "/authentication/required-actions/keyward-opaque-register";
        ObjectNode action = (ObjectNode) admin.get(actionPath);
        admin.send("PUT", actionPath, action.deepCopy().put("enabled", false));
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            driver.get(rp.authorizationUri().toString());
            driver.get(resetLinkFor(driver, wait).toString());
            wait.until(d -> d.getPageSource().contains("Resetting your password is not available right now."));
            assertTrue(driver.findElements(OpaqueForms.REGISTER_FORM).isEmpty());
            assertThrows(
                    TimeoutException.class,
                    () -> callback.awaitRedirect(Duration.ofSeconds(2)),
                    "no code without a new password");
        } finally {
            admin.send("PUT", actionPath, action);
        }
        // the password from test 2 is still the one that works
        assertEquals(List.of("keyward-opaque"), credentialTypes());
    }

    /** From the OPAQUE login page, alice asks for a reset; returns the link from the email she then gets. */
    private static URI resetLinkFor(WebDriver driver, WebDriverWait wait) throws Exception {
        int mailsBefore = mailbox.count();
        int aliceBefore = mailbox.to(EMAIL).size();
        assertEquals(EMAIL_SENT, requestReset(driver, wait, USERNAME));
        assertTrue(mailbox.arrived(mailsBefore + 1, WAIT), "no reset email");
        List<MimeMessage> toAlice = mailbox.to(EMAIL);
        assertEquals(aliceBefore + 1, toAlice.size(), "one new email for alice");
        String text = Mailbox.plainText(toAlice.get(aliceBefore));
        // the HTML part is laid out by the export's email theme, keyward: its header names the realm
        String html = Mailbox.html(toAlice.get(aliceBefore));
        assertTrue(html != null && KEYWARD_EMAIL_HEADER.matcher(html).find(), "not the keyward email layout: " + html);
        Matcher link = RESET_LINK.matcher(text);
        assertTrue(link.find(), "no reset link in: " + text);
        URI resetLink = URI.create(link.group());
        assertTrue(
                resetLink.toString().startsWith(keycloak.realmUri(REALM) + "/login-actions/action-token?"),
                resetLink::toString);
        return resetLink;
    }

    /**
     * From the OPAQUE login page: "Forgot Password?", the username, submit; returns the message
     * the page then shows (back on the login page).
     */
    private static String requestReset(WebDriver driver, WebDriverWait wait, String username) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
        driver.findElement(By.id("kc-forgot-password")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-reset-password-form")));
        BrowserLoginIT.assertKeywardTheme(driver);
        driver.findElement(By.id("username")).sendKeys(username);
        driver.findElement(By.id("kc-form-buttons")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
        return driver.findElement(By.cssSelector(".pf-v5-c-alert__title"))
                .getText()
                .trim();
    }

    /** What distinguishes two pages for a user: the page id, the path, the heading and the form fields shown. */
    private static String pageShape(WebDriver driver) {
        URI url = URI.create(driver.getCurrentUrl());
        StringBuilder shape = new StringBuilder(
                        driver.findElement(By.tagName("body")).getAttribute("data-page-id"))
                .append(' ')
                .append(url.getPath())
                .append(' ')
                .append(driver.findElement(By.id("kc-page-title")).getText());
        for (WebElement input : driver.findElements(By.cssSelector("form input"))) {
            shape.append(' ')
                    .append(input.getAttribute("id"))
                    .append('=')
                    .append(input.getAttribute("type"))
                    .append(input.isDisplayed() ? "" : "(hidden)");
        }
        return shape.toString();
    }

    private static List<String> credentialTypes() {
        String userId = admin.get("/admin/realms/" + REALM + "/users?exact=true&username=" + USERNAME)
                .get(0)
                .get("id")
                .asText();
        JsonNode creds = admin.get("/admin/realms/" + REALM + "/users/" + userId + "/credentials");
        return java.util.stream.StreamSupport.stream(creds.spliterator(), false)
                .map(c -> c.get("type").asText())
                .toList();
    }
}
