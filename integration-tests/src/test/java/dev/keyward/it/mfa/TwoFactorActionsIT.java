package dev.keyward.it.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.BrowserExtension;
import dev.keyward.it.harness.CallbackServer;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import dev.keyward.it.harness.Mailbox;
import dev.keyward.it.harness.OpaqueForms;
import dev.keyward.it.harness.RealmExport;
import dev.keyward.it.harness.RelyingParty;
import dev.keyward.it.harness.TestNames;
import dev.keyward.it.realm.RealmImportIT;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
 * The user's own switches (issue 5): "enable two-factor" and "disable two-factor" as
 * application-initiated actions, each re-authenticating with two methods; the tokens' acr and amr
 * (single-factor, two-factor); a client's step-up through {@code acr_values}; older refresh tokens
 * dead once two-factor is on. Own realm from the export, GreenMail as SMTP; the relying party is
 * Nimbus, which validates the ID token.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@KeywardTest
class TwoFactorActionsIT {
    private static final String REALM = "keyward-2fa-actions-it";
    private static final String CLIENT = RealmImportIT.CLIENT;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final By CODE_FORM = By.id("kc-email-code-form");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACTION_LINK = Pattern.compile("https?://\\S+/login-actions/action-token\\?\\S+");

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    private WebDriver driver;
    private WebDriverWait wait;

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs, this class's mailbox
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static Mailbox mailbox;
    private static final String USERNAME = TestNames.user("ana");
    private static final String EMAIL = USERNAME + "@example.test";
    private static final String PASSWORD = TestNames.password();
    private static String userId;
    /** The refresh token of a single-factor login, from before two-factor was switched on. */
    private static String singleFactorRefresh;

    @BeforeEach
    void browser() {
        driver = browser.driver();
        wait = new WebDriverWait(driver, WAIT);
    }

    @BeforeAll
    static void realm() {
        RealmExport.importAs(
                keycloak, admin, REALM, Map.of("smtpServer", mailbox.realmSmtp(), "quickLoginCheckMilliSeconds", 1));
        SecondFactorLoginIT.setConfig(
                admin, REALM, "keyward-email-code", Map.of("resendCooldownSeconds", "0", "maxSendsPerHour", "20"));
        userId = admin.createUser(REALM, USERNAME, EMAIL, PASSWORD);
    }

    /**
     * One method only (the address is not verified): the enable page says what the account has,
     * offers the realm's setups of the others, and cancelling leaves two-factor off.
     */
    @Test
    @Order(1)
    void withOneMethodTheEnablePageSaysWhatToAdd() throws Exception {
        String name = TestNames.user("one");
        String id = admin.createUser(REALM, name, name + "@example.test", PASSWORD);
        JsonNode user = admin.get(userPath(id));
        ((ObjectNode) user).put("emailVerified", false);
        admin.send("PUT", userPath(id), user);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(
                    keycloak, admin, REALM, CLIENT, callback, Map.of("kc_action", "keyward-enable-two-factor"));
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, name, PASSWORD);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-enable-two-factor-form")));
            assertEquals(
                    "You can sign in with: Password",
                    driver.findElement(By.id("kc-2fa-usable")).getText().trim());
            assertEquals(
                    "Set up a passkey",
                    driver.findElement(By.id("kc-2fa-setup-passkey")).getText().trim());
            assertEquals(
                    "Verify your email address for sign-in codes",
                    driver.findElement(By.id("kc-2fa-setup-email_code"))
                            .getText()
                            .trim());
            assertTrue(driver.findElements(By.id("kc-2fa-setup-password")).isEmpty(), "offers a password the user has");
            driver.findElement(By.id("kc-2fa-cancel")).click();
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertTrue(
                    tokens.redirect().getQuery().contains("kc_action_status=cancelled"), tokens.redirect()::toString);
        }
        assertTrue(admin.get(userPath(id))
                .path("attributes")
                .path("two_factor_enabled")
                .isMissingNode());
    }

    /**
     * The enable page's setup: a user whose address is not verified picks "Verify your email
     * address", opens the link Keycloak mails, and comes back to the enable action, which now
     * switches on (the password proven at sign-in, the email proven by its link).
     */
    @Test
    @Order(2)
    void settingUpTheMissingMethodFromTheEnablePageSwitchesOn() throws Exception {
        String name = TestNames.user("setup");
        String email = name + "@example.test";
        String id = admin.createUser(REALM, name, email, PASSWORD);
        JsonNode user = admin.get(userPath(id));
        ((ObjectNode) user).put("emailVerified", false);
        admin.send("PUT", userPath(id), user);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(
                    keycloak, admin, REALM, CLIENT, callback, Map.of("kc_action", "keyward-enable-two-factor"));
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.loginOrReauthenticate(driver, wait, name, PASSWORD);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-2fa-setup-email_code")))
                    .click();
            String text = Mailbox.plainText(mailbox.awaitNth(email, 1, WAIT));
            Matcher link = ACTION_LINK.matcher(text);
            assertTrue(link.find(), "no verification link in: " + text);
            driver.get(link.group());
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertTrue(tokens.redirect().getQuery().contains("kc_action_status=success"), tokens.redirect()::toString);
        }
        JsonNode after = admin.get(userPath(id));
        assertTrue(after.path("emailVerified").asBoolean());
        assertEquals(
                "true",
                after.path("attributes").path("two_factor_enabled").path(0).asText());
    }

    /** Before anything is on: a password login is single-factor, amr pwd, and a client's step-up is not possible without a session. */
    @Test
    @Order(3)
    void aPasswordLoginIsSingleFactor() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.loginOrReauthenticate(driver, wait, USERNAME, PASSWORD);
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertEquals("single-factor", tokens.id().getStringClaim("acr"));
            assertEquals("single-factor", tokens.access().getStringClaim("acr"));
            assertEquals(List.of("pwd"), tokens.id().getStringListClaim("amr"));
            assertEquals(List.of("pwd"), tokens.access().getStringListClaim("amr"));
            singleFactorRefresh = tokens.refreshToken();
        }
    }

    /**
     * A client asks for acr_values=two-factor in the same browser session: the user is not asked
     * for the password again (the session proved it) but for the other method, and the tokens say
     * two-factor, with amr pwd, otp and mfa. Two-factor itself stays off.
     */
    @Test
    @Order(4)
    void acrValuesTwoFactorStepsUpWithTheOtherMethod() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.loginOrReauthenticate(driver, wait, USERNAME, PASSWORD);
            assertEquals("single-factor", rp.finishTokens(driver, WAIT).id().getStringClaim("acr"));
        }
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp =
                    new RelyingParty(keycloak, admin, REALM, CLIENT, callback, Map.of("acr_values", "two-factor"));
            int mails = mailbox.to(EMAIL).size();
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
            assertTrue(driver.findElements(OpaqueForms.LOGIN_FORM).isEmpty(), "the password is asked again");
            enterCode(codeFrom(mails + 1));
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertEquals("two-factor", tokens.id().getStringClaim("acr"));
            assertEquals("two-factor", tokens.access().getStringClaim("acr"));
            assertEquals(List.of("mfa", "otp", "pwd"), sorted(tokens.id().getStringListClaim("amr")));
        }
        assertTrue(admin.get(userPath(userId))
                .path("attributes")
                .path("two_factor_enabled")
                .isMissingNode());
    }

    /**
     * Enable: Keycloak re-authenticates (password), the policy asks the other method (email
     * code), the action switches two-factor on; the new tokens are two-factor, the refresh token
     * of the earlier single-factor login is refused with invalid_grant.
     */
    @Test
    @Order(5)
    void enableReauthenticatesWithTwoMethodsAndRevokesOlderTokens() throws Exception {
        assertEquals(
                200, refresh(singleFactorRefresh).statusCode(), "the single-factor refresh token should still work");
        String refreshAfter;
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(
                    keycloak, admin, REALM, CLIENT, callback, Map.of("kc_action", "keyward-enable-two-factor"));
            int mails = mailbox.to(EMAIL).size();
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.loginOrReauthenticate(driver, wait, USERNAME, PASSWORD);
            enterCode(codeFrom(mails + 1));
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertTrue(tokens.redirect().getQuery().contains("kc_action_status=success"), tokens.redirect()::toString);
            assertEquals("two-factor", tokens.id().getStringClaim("acr"));
            assertEquals(List.of("mfa", "otp", "pwd"), sorted(tokens.access().getStringListClaim("amr")));
            refreshAfter = tokens.refreshToken();
        }
        assertEquals(
                "true",
                admin.get(userPath(userId))
                        .path("attributes")
                        .path("two_factor_enabled")
                        .path(0)
                        .asText());
        HttpResponse<String> refused = refresh(singleFactorRefresh);
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals(
                "invalid_grant", JSON.readTree(refused.body()).path("error").asText(), refused.body());
        assertEquals(200, refresh(refreshAfter).statusCode(), "the two-factor login's refresh token is refused");
    }

    /** Now on: a fresh login asks both, and a client's two-factor request is met by the session without a prompt. */
    @Test
    @Order(6)
    void withTwoFactorOnTheSessionIsTwoFactorForLaterClients() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            int mails = mailbox.to(EMAIL).size();
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.loginOrReauthenticate(driver, wait, USERNAME, PASSWORD);
            enterCode(codeFrom(mails + 1));
            assertEquals("two-factor", rp.finishTokens(driver, WAIT).id().getStringClaim("acr"));
        }
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp =
                    new RelyingParty(keycloak, admin, REALM, CLIENT, callback, Map.of("acr_values", "two-factor"));
            driver.get(rp.authorizationUri().toString());
            assertTwoFactorTokens(rp);
        }
    }

    /** Disable: a fresh two-factor login, then the confirmation; afterwards the password alone is enough again. */
    @Test
    @Order(7)
    void disableNeedsAFreshTwoFactorLogin() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(
                    keycloak, admin, REALM, CLIENT, callback, Map.of("kc_action", "keyward-disable-two-factor"));
            int mails = mailbox.to(EMAIL).size();
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.loginOrReauthenticate(driver, wait, USERNAME, PASSWORD);
            enterCode(codeFrom(mails + 1));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-2fa-disable")))
                    .click();
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertTrue(tokens.redirect().getQuery().contains("kc_action_status=success"), tokens.redirect()::toString);
        }
        assertTrue(admin.get(userPath(userId))
                .path("attributes")
                .path("two_factor_enabled")
                .isMissingNode());
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback, Map.of("prompt", "login"));
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.loginOrReauthenticate(driver, wait, USERNAME, PASSWORD);
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertEquals("single-factor", tokens.id().getStringClaim("acr"));
        }
    }

    /**
     * A session that reaches the enable page without a fresh two-method login: a password sign-in,
     * then an admin asks the user to turn two-factor on (required action), and the next sign-in
     * rides on the session. The page offers "Sign in again" (nothing else: not
     * application-initiated); it leads to a new sign-in that asks for both methods, after which the
     * action, now possible, switches two-factor on.
     */
    @Test
    @Order(8)
    void withoutAFreshTwoMethodLoginTheEnablePageOffersToSignInAgain() throws Exception {
        String name = TestNames.user("again");
        String id = admin.createUser(REALM, name, name + "@example.test", PASSWORD);
        signInWithThePasswordAlone(name);
        putRequiredAction(id, "keyward-enable-two-factor");

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            signInAgainWithBothMethods(
                    rp,
                    "kc-enable-two-factor-form",
                    "To turn on two-factor sign-in, sign in again with two of your sign-in methods.",
                    name);
            assertTwoFactorTokens(rp);
        }
        JsonNode after = admin.get(userPath(id));
        assertEquals(
                "true",
                after.path("attributes").path("two_factor_enabled").path(0).asText());
        assertEquals(0, after.path("requiredActions").size(), after::toString);
    }

    /**
     * The disable page's counterpart: a two-factor sign-in, then, once its two methods are older than
     * the switch's proof age (set to a minute here; a value over an hour is refused), an admin asks the user to turn two-factor off (required
     * action). (Switching two-factor on would end the session, so the session must be a two-factor
     * one that aged.) The next sign-in rides on the session, so the page offers only "Sign in again"
     * (no confirmation, no cancel: not application-initiated); the new sign-in asks both methods,
     * and the confirmation then switches two-factor off.
     */
    @Test
    @Order(9)
    void withoutAFreshTwoMethodLoginTheDisablePageOffersToSignInAgain() throws Exception {
        String name = TestNames.user("off");
        String email = name + "@example.test";
        String id = admin.createUser(REALM, name, email, PASSWORD);
        // the first sign-in makes the password an OPAQUE one: two methods, so two-factor can be on
        signInWithThePasswordAlone(name);
        admin.enableTwoFactor(REALM, id);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            int mails = mailbox.to(email).size();
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.loginOrReauthenticate(driver, wait, name, PASSWORD);
            enterCode(Mailbox.emailCode(mailbox.awaitNth(email, mails + 1, WAIT)));
            assertTwoFactorTokens(rp);
        }
        // the switch counts methods proven within its proof age (default 300 s); an admin can set
        // it from 1 s to an hour, here a minute so the test need not wait five
        String config = "/admin/realms/" + REALM + "/authentication/required-actions/keyward-disable-two-factor/config";
        assertEquals(
                400,
                admin.exchange("PUT", config, Map.of("config", Map.of("proofSeconds", "7200")))
                        .statusCode());
        admin.send("PUT", config, Map.of("config", Map.of("proofSeconds", "60")));
        try {
            Thread.sleep(Duration.ofSeconds(65).toMillis());
            putRequiredAction(id, "keyward-disable-two-factor");
            signInAgainAndSwitchOff(name);
        } finally {
            admin.send("DELETE", config, null);
        }
        JsonNode after = admin.get(userPath(id));
        assertTrue(after.path("attributes").path("two_factor_enabled").isMissingNode(), after::toString);
        assertEquals(0, after.path("requiredActions").size(), after::toString);
    }

    private void signInAgainAndSwitchOff(String name) throws Exception {

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            signInAgainWithBothMethods(
                    rp,
                    "kc-disable-two-factor-form",
                    "To turn off two-factor sign-in, sign in again with two of your sign-in methods.",
                    name,
                    "kc-2fa-disable");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-2fa-disable")))
                    .click();
            assertTwoFactorTokens(rp);
        }
    }

    /** The user signs in with the password alone in this browser: a single-factor session. */
    private void signInWithThePasswordAlone(String name) throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.loginOrReauthenticate(driver, wait, name, PASSWORD);
            assertEquals("single-factor", rp.finishTokens(driver, WAIT).id().getStringClaim("acr"));
        }
    }

    /** An admin puts {@code action} on the user (Keycloak's required actions). */
    private void putRequiredAction(String id, String action) {
        ObjectNode user = (ObjectNode) admin.get(userPath(id));
        user.putArray("requiredActions").add(action);
        admin.send("PUT", userPath(id), user);
    }

    /**
     * A sign-in that rides on the session reaches the action page {@code formId} without a fresh
     * two-method login: it says {@code freshLogin} and offers "Sign in again", with no cancel (not
     * application-initiated) and none of {@code absentIds}; "Sign in again" leads to a new sign-in,
     * the password then the email code.
     */
    private void signInAgainWithBothMethods(
            RelyingParty rp, String formId, String freshLogin, String name, String... absentIds) throws Exception {
        String email = name + "@example.test";
        driver.get(rp.authorizationUri().toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(formId)));
        assertEquals(
                freshLogin,
                driver.findElement(By.id("kc-2fa-fresh-login")).getText().trim());
        assertTrue(driver.findElements(By.id("kc-2fa-cancel")).isEmpty(), "cancel offered outside kc_action");
        for (String absent : absentIds) {
            assertTrue(driver.findElements(By.id(absent)).isEmpty(), absent + " without a fresh login");
        }
        WebElement again = driver.findElement(By.id("kc-2fa-sign-in-again"));
        assertEquals("Sign in again", again.getText().trim());
        int mails = mailbox.to(email).size();
        again.click();
        // a new sign-in: the session is gone, so the password first, then the other method
        OpaqueForms.login(driver, wait, name, PASSWORD);
        enterCode(Mailbox.emailCode(mailbox.awaitNth(email, mails + 1, WAIT)));
    }

    /** The login ends at the client with tokens of a two-method sign-in. */
    private void assertTwoFactorTokens(RelyingParty rp) throws Exception {
        RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
        assertEquals("two-factor", tokens.id().getStringClaim("acr"));
        assertEquals(List.of("mfa", "otp", "pwd"), sorted(tokens.id().getStringListClaim("amr")));
    }

    /**
     * Keycloak's execute-actions email for the pack's two-factor actions, and the page its link
     * opens, name them in words (the pack's {@code requiredAction.<alias>} labels), not by key.
     */
    @Test
    @Order(10)
    void theActionEmailAndItsPageNameTheTwoFactorActionsInWords() throws Exception {
        String name = TestNames.user("mail");
        String email = name + "@example.test";
        String id = admin.createUser(REALM, name, email, PASSWORD);
        HttpResponse<String> sent = admin.exchange(
                "PUT",
                userPath(id) + "/execute-actions-email?lifespan=3600",
                List.of("keyward-enable-two-factor", "keyward-disable-two-factor", "keyward-two-factor-check"));
        assertEquals(204, sent.statusCode(), sent.body());
        String labels = "Turn on two-factor sign-in, Turn off two-factor sign-in, Two-factor sign-in check";
        MimeMessage mail = mailbox.awaitNth(email, 1, WAIT);
        String text = Mailbox.plainText(mail);
        assertTrue(text.contains("following action(s): " + labels + "."), text);
        assertFalse((text + Mailbox.html(mail)).contains("requiredAction."), "a raw message key in the email: " + text);
        Matcher link = ACTION_LINK.matcher(text);
        assertTrue(link.find(), "no action link: " + text);
        driver.get(link.group());
        wait.until(ExpectedConditions.elementToBeClickable(By.partialLinkText("Click here to proceed")));
        String page = OpaqueForms.visibleText(driver);
        assertTrue(page.contains("Perform the following action(s): " + labels), page);
        assertFalse(page.contains("requiredAction."), page);
    }

    private void enterCode(String code) {
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
        driver.findElement(By.id("code")).sendKeys(code);
        driver.findElement(By.id("kc-email-code-verify")).click();
        wait.until(ExpectedConditions.stalenessOf(form));
    }

    private static String codeFrom(int n) throws Exception {
        return Mailbox.emailCode(mailbox.awaitNth(EMAIL, n, WAIT));
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }

    private static String userPath(String id) {
        return "/admin/realms/" + REALM + "/users/" + id;
    }

    private static HttpResponse<String> refresh(String refreshToken) throws Exception {
        String body = "grant_type=refresh_token&client_id=" + CLIENT + "&refresh_token="
                + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8);
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(keycloak.realmUri(REALM) + "/protocol/openid-connect/token"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
