package dev.keyward.it.mfa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.keyward.it.harness.Passkeys;
import dev.keyward.it.harness.RealmExport;
import dev.keyward.it.harness.RelyingParty;
import dev.keyward.it.harness.TestNames;
import dev.keyward.it.realm.BrowserLoginIT;
import dev.keyward.it.realm.RealmImportIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;

/**
 * Passkeys (Keycloak's passwordless WebAuthn) in the export's realm, with Chromium's virtual
 * authenticator as the user's device: a user who signs in with the OPAQUE password registers one
 * through the application-initiated action; it then counts as a usable method for two-factor
 * sign-in, as a first factor ("Try another way") or a second one (Keycloak's passkey page, with the
 * keyward theme's "Use another method"); an account may have no password at all; and a passkey
 * that two-factor sign-in needs cannot be removed. Own realm, imported from the
 * export, with GreenMail as its SMTP server (so a verified address is an email-code method too).
 * Each test has its own user and browser.
 */
@KeywardTest
class PasskeyIT {
    private static final String REALM = "keyward-passkey-it";
    private static final String CLIENT = RealmImportIT.CLIENT;
    private static final String ATTRIBUTE = "two_factor_enabled";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final By CHOOSER = By.id("kc-second-factor-form");
    private static final By CODE_FORM = By.id("kc-email-code-form");
    private static final By SWITCH = By.id("kc-second-factor-switch");
    private static final By IDENTIFY_FORM = By.id("kc-email-code-identify-form");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    private WebDriver driver;
    private WebDriverWait wait;

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs, this class's mailbox
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static Mailbox mailbox;

    @BeforeAll
    static void realm() {
        RealmExport.importAs(
                keycloak, admin, REALM, Map.of("smtpServer", mailbox.realmSmtp(), "quickLoginCheckMilliSeconds", 1));
        // some tests send a user two codes within a minute
        SecondFactorLoginIT.setConfig(
                admin, REALM, "keyward-email-code", Map.of("resendCooldownSeconds", "0", "maxSendsPerHour", "20"));
    }

    @BeforeEach
    void browser() {
        driver = browser.driver();
        wait = new WebDriverWait(driver, WAIT);
    }

    /**
     * OPAQUE alone is one method: the admin cannot turn two-factor on. After the user registers a
     * passkey (signed in already, so Keycloak goes straight to its registration page), the admin
     * API lists it under the name the user gave it, the device holds the same key for this user,
     * and two-factor can be turned on. The address is unverified, so the email code is no method.
     */
    @Test
    void aRegisteredPasskeyIsASecondMethod() throws Exception {
        User user = User.create(false);
        VirtualAuthenticator device = Passkeys.attach(driver);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, user.name(), user.password());
            assertEquals(user.name(), rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
        assertEquals(List.of("keyward-opaque"), credentialTypes(user.id()), "not OPAQUE only");
        HttpResponse<String> refused = setTwoFactor(user.id());
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals(
                "keywardTwoFactorNeedsTwoMethods",
                JSON.readTree(refused.body()).path("errorMessage").asText(),
                refused.body());

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            assertEquals(
                    user.name(),
                    Passkeys.register(driver, rp, callback, () -> {}, "Work laptop")
                            .getStringClaim("preferred_username"));
        }

        List<JsonNode> passkeys = Passkeys.credentials(admin, REALM, user.id());
        assertEquals(1, passkeys.size(), passkeys::toString);
        assertEquals("Work laptop", passkeys.get(0).path("userLabel").asText());
        List<Credential> onDevice = device.getCredentials();
        assertEquals(1, onDevice.size());
        assertTrue(onDevice.get(0).isResidentCredential(), "not a discoverable credential");
        assertEquals("localhost", onDevice.get(0).getRpId());
        assertArrayEquals(
                user.id().getBytes(StandardCharsets.UTF_8), onDevice.get(0).getUserHandle());
        assertArrayEquals(onDevice.get(0).getId(), Passkeys.credentialId(passkeys.get(0)));

        HttpResponse<String> accepted = setTwoFactor(user.id());
        assertEquals(204, accepted.statusCode(), accepted.body());
    }

    /**
     * OPAQUE password and passkey, two-factor on: after the password, the passkey is the only
     * other method, so its page comes at once (no choice, nothing to switch to); the device
     * answers and the relying party gets tokens.
     */
    @Test
    void passwordThenPasskey() throws Exception {
        User user = twoFactorUserWithPasskey(false);

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, user.name(), user.password());
            wait.until(ExpectedConditions.visibilityOfElementLocated(Passkeys.SIGN_IN_BUTTON));
            assertEquals(
                    "Sign in with Passkey",
                    driver.findElement(Passkeys.SIGN_IN_BUTTON).getText().trim());
            assertTrue(driver.findElements(CHOOSER).isEmpty(), "a choice with one method");
            assertTrue(driver.findElements(SWITCH).isEmpty(), "nothing to switch to, but offered");
            Passkeys.signIn(driver, wait);
            assertEquals(user.name(), rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
    }

    /**
     * OPAQUE password, passkey and a verified address: after the password the user chooses
     * between exactly the passkey and the email code (never the password again). The email code
     * first: a code is mailed; "Use another method" goes back to the same choice, and the passkey
     * finishes the login.
     */
    @Test
    void passwordThenAChoiceOfPasskeyOrEmailCode() throws Exception {
        User user = twoFactorUserWithPasskey(true);

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            int mails = mailbox.to(user.email()).size();
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, user.name(), user.password());

            assertEquals(List.of("PASSKEY Passkey", "EMAIL_CODE Email code"), choices());
            choose("EMAIL_CODE");
            wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
            // the code arrives (and is not needed: the user switches)
            Mailbox.emailCode(mailbox.awaitNth(user.email(), mails + 1, WAIT));
            WebElement switchButton = driver.findElement(SWITCH);
            assertEquals("Use another method", switchButton.getText().trim());
            switchButton.click();
            wait.until(ExpectedConditions.stalenessOf(switchButton));

            assertEquals(List.of("PASSKEY Passkey", "EMAIL_CODE Email code"), choices());
            choose("PASSKEY");
            Passkeys.signIn(driver, wait);
            assertEquals(user.name(), rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
    }

    /**
     * Passkey first, password second: "Try another way" on the OPAQUE form offers the passkey; the
     * device answers Keycloak's passkey page (which, as a first factor, offers no switch), and the
     * OPAQUE form then asks only the password (no username field; the password is the only other
     * method, so nothing to switch to). A wrong password there counts as a failed login. The
     * tokens say two-factor, with amr hwk (passkey), pwd and mfa.
     */
    @Test
    void passkeyFirstThenThePassword() throws Exception {
        User user = twoFactorUserWithPasskey(false);

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            // the alternatives in the flow's order: the passkey step stands right after the OPAQUE form
            assertEquals(List.of("Password", "Passkey", "Email code"), BrowserLoginIT.tryAnotherWay(driver, wait));
            BrowserLoginIT.chooseMethod(driver, "Passkey");
            wait.until(ExpectedConditions.visibilityOfElementLocated(Passkeys.SIGN_IN_BUTTON));
            assertTrue(
                    driver.findElements(SWITCH).isEmpty(),
                    "a first-factor passkey page offers the second-factor switch");
            Passkeys.signIn(driver, wait);

            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            assertTrue(driver.findElements(By.id("username")).isEmpty(), "the second factor asks for the username");
            assertTrue(driver.findElements(SWITCH).isEmpty(), "nothing to switch to, but offered");
            driver.findElement(By.id("password")).sendKeys("Wrong-" + user.password());
            OpaqueForms.submit(driver, wait);
            OpaqueForms.awaitInvalid(driver, wait);
            assertTrue(failures(user.id()) >= 1, "a wrong second-factor password was not counted");

            assertTrue(
                    driver.findElements(By.id("username")).isEmpty(), "after a wrong password the username is asked");
            driver.findElement(By.id("password")).sendKeys(user.password());
            OpaqueForms.submit(driver, wait);
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertEquals(user.name(), tokens.id().getStringClaim("preferred_username"));
            assertEquals("two-factor", tokens.id().getStringClaim("acr"));
            assertEquals(List.of("hwk", "mfa", "pwd"), sorted(tokens.id().getStringListClaim("amr")));
            assertEquals(List.of("hwk", "mfa", "pwd"), sorted(tokens.access().getStringListClaim("amr")));
        }
    }

    /**
     * Email code first, passkey second: after the code, the choice is exactly the password and the
     * passkey (the email code is never offered twice); the passkey finishes a two-factor login.
     */
    @Test
    void emailCodeFirstThenThePasskey() throws Exception {
        User user = twoFactorUserWithPasskey(true);

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            signInWithEmailCode(user.email());

            assertEquals(List.of("PASSWORD Password", "PASSKEY Passkey"), choices());
            choose("PASSKEY");
            Passkeys.signIn(driver, wait);
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertEquals(user.name(), tokens.id().getStringClaim("preferred_username"));
            assertEquals("two-factor", tokens.id().getStringClaim("acr"));
            assertEquals(List.of("hwk", "mfa", "otp"), sorted(tokens.id().getStringListClaim("amr")));
        }
    }

    /**
     * No password at all: an account the admin created with a verified address and no
     * credential signs in with an email code, adds a passkey, and turns two-factor on with those
     * two. The enable action re-authenticates; Keycloak, knowing the user, starts with the
     * method of the user's stored credential, the passkey page (naming the user); the second
     * factor is then the email code, its only other method.
     */
    @Test
    void enableTwoFactorWithAPasskeyAndEmailCodesOnly() throws Exception {
        String name = TestNames.user("pk");
        String email = name + "@example.test";
        String id = createUserWithoutCredentials(name, email);
        assertEquals(List.of(), credentialTypes(id));
        Passkeys.attach(driver);

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            signInWithEmailCode(email);
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertEquals(name, tokens.id().getStringClaim("preferred_username"));
            assertEquals("single-factor", tokens.id().getStringClaim("acr"));
            assertEquals(List.of("otp"), tokens.id().getStringListClaim("amr"));
        }
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            Passkeys.register(driver, rp, callback, () -> {}, "Tablet");
        }
        assertEquals(List.of(Passkeys.CREDENTIAL_TYPE), credentialTypes(id));

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(
                    keycloak, admin, REALM, CLIENT, callback, Map.of("kc_action", "keyward-enable-two-factor"));
            int mails = mailbox.to(email).size();
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(Passkeys.SIGN_IN_BUTTON));
            assertEquals(
                    name, driver.findElement(By.id("kc-attempted-username")).getAttribute("value"));
            assertEquals("Please re-authenticate to continue", alert());
            Passkeys.signIn(driver, wait);
            enterCode(Mailbox.emailCode(mailbox.awaitNth(email, mails + 1, WAIT)));
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertTrue(tokens.redirect().getQuery().contains("kc_action_status=success"), tokens.redirect()::toString);
            assertEquals("two-factor", tokens.id().getStringClaim("acr"));
            assertEquals(List.of("hwk", "mfa", "otp"), sorted(tokens.id().getStringListClaim("amr")));
        }
        assertEquals(
                "true",
                admin.get(userPath(id))
                        .path("attributes")
                        .path(ATTRIBUTE)
                        .path(0)
                        .asText());
    }

    /**
     * Two-factor on with exactly a password and one passkey: the passkey is needed, so the
     * deprecated account REST call refuses to delete it (400, with the reason's message key) and so
     * does the delete_credential action: its page says why, in the user's words, and offers only
     * the way back; the passkey stays. Once the address is verified (a third method),
     * the same action deletes it, after a fresh login (prompt=login: Keycloak knows the user and
     * opens the OPAQUE page, where the user takes the passkey; then the choice of password or email code).
     */
    @Test
    void aNeededPasskeyCannotBeRemoved() throws Exception {
        User user = twoFactorUserWithPasskey(false);
        String passkey =
                Passkeys.credentials(admin, REALM, user.id()).get(0).path("id").asText();

        RelyingParty.Tokens tokens;
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, user.name(), user.password());
            Passkeys.signIn(driver, wait);
            tokens = rp.finishTokens(driver, WAIT);
            assertEquals("two-factor", tokens.id().getStringClaim("acr"));
        }
        // the demo client's token reaches the account API: it lists the passkey
        HttpResponse<String> listed = accountApi("GET", "/credentials", tokens.accessToken());
        assertEquals(200, listed.statusCode(), () -> listed.body() + "\naccess token: " + tokens.access());
        assertTrue(listed.body().contains(passkey), listed.body());
        HttpResponse<String> refused = accountApi("DELETE", "/credentials/" + passkey, tokens.accessToken());
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals(
                "keywardPasskeyNeededForTwoFactor",
                JSON.readTree(refused.body()).path("errorMessage").asText(),
                refused.body());
        assertEquals(1, Passkeys.credentials(admin, REALM, user.id()).size());

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(
                    keycloak, admin, REALM, CLIENT, callback, Map.of("kc_action", "delete_credential:" + passkey));
            driver.get(rp.authorizationUri().toString());
            WebElement reason = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-delete-refused")));
            assertEquals(
                    "Two-factor sign-in is on for this account and needs this passkey as one of its two sign-in"
                            + " methods. Add another sign-in method or turn two-factor sign-in off before removing it.",
                    reason.getText().trim());
            assertTrue(driver.findElements(By.id("kc-accept")).isEmpty(), "the page still offers to delete");
            assertEquals(
                    "Delete Phone",
                    driver.findElement(By.id("kc-page-title")).getText().trim());
            driver.findElement(By.id("kc-decline")).click();
            RelyingParty.Tokens back = rp.finishTokens(driver, WAIT);
            assertTrue(back.redirect().getQuery().contains("kc_action_status=cancelled"), back.redirect()::toString);
        }
        assertEquals(1, Passkeys.credentials(admin, REALM, user.id()).size(), "the needed passkey was removed");

        ObjectNode verified = (ObjectNode) admin.get(userPath(user.id()));
        verified.put("emailVerified", true);
        admin.send("PUT", userPath(user.id()), verified);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(
                    keycloak,
                    admin,
                    REALM,
                    CLIENT,
                    callback,
                    Map.of("kc_action", "delete_credential:" + passkey, "prompt", "login"));
            int mails = mailbox.to(user.email()).size();
            driver.get(rp.authorizationUri().toString());
            // a re-authentication of a known user opens on the OPAQUE page, which offers the passkey too
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            assertEquals("Please re-authenticate to continue", alert());
            assertTrue(driver.findElements(By.id("username")).isEmpty(), "the known user's name is asked");
            Passkeys.signInOnOpaquePage(driver, wait);
            assertEquals(List.of("PASSWORD Password", "EMAIL_CODE Email code"), choices());
            choose("EMAIL_CODE");
            enterCode(Mailbox.emailCode(mailbox.awaitNth(user.email(), mails + 1, WAIT)));
            confirmDeletion();
            RelyingParty.Tokens after = rp.finishTokens(driver, WAIT);
            assertTrue(after.redirect().getQuery().contains("kc_action_status=success"), after.redirect()::toString);
        }
        assertEquals(List.of("keyward-opaque"), credentialTypes(user.id()));
    }

    /**
     * Keycloak's passkey pages as a second factor, with another method left: the keyward theme
     * adds "Use another method" to the sign-in page and to its error page (a device that fails
     * user verification), where "Try again" shows too and leads back to the sign-in page. The
     * switch leads back to the choice, and the email code finishes the login.
     */
    @Test
    void thePasskeyPagesOfferAnotherMethod() throws Exception {
        User user = User.create(true);
        VirtualAuthenticator device = Passkeys.attach(driver);
        user.registerPasskeyAtFirstSignIn(driver, wait);
        assertEquals(204, setTwoFactor(user.id()).statusCode());

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, user.name(), user.password());
            assertEquals(List.of("PASSKEY Passkey", "EMAIL_CODE Email code"), choices());
            choose("PASSKEY");
            wait.until(ExpectedConditions.visibilityOfElementLocated(Passkeys.SIGN_IN_BUTTON));
            assertSwitchOffered();

            device.setUserVerified(false);
            Passkeys.signIn(driver, wait);
            WebElement tryAgain = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-try-again")));
            assertEquals(
                    "Passkey Error",
                    driver.findElement(By.id("kc-page-title")).getText().trim());
            assertEquals("Failed to authenticate by the Passkey.", alert());
            assertEquals("Try again", tryAgain.getText().trim());
            assertSwitchOffered();
            tryAgain.click();
            wait.until(ExpectedConditions.stalenessOf(tryAgain));
            wait.until(ExpectedConditions.visibilityOfElementLocated(Passkeys.SIGN_IN_BUTTON));

            WebElement switchButton = assertSwitchOffered();
            int mails = mailbox.to(user.email()).size();
            switchButton.click();
            wait.until(ExpectedConditions.stalenessOf(switchButton));
            assertEquals(List.of("PASSKEY Passkey", "EMAIL_CODE Email code"), choices());
            choose("EMAIL_CODE");
            enterCode(Mailbox.emailCode(mailbox.awaitNth(user.email(), mails + 1, WAIT)));
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertEquals("two-factor", tokens.id().getStringClaim("acr"));
            assertEquals(List.of("mfa", "otp", "pwd"), sorted(tokens.id().getStringListClaim("amr")));
        }
    }

    // --- helpers

    /** The page's "Use another method" button, visible. */
    private WebElement assertSwitchOffered() {
        WebElement button = driver.findElement(SWITCH);
        assertTrue(button.isDisplayed(), "'Use another method' hidden");
        assertEquals("Use another method", button.getText().trim());
        return button;
    }

    /** First factor by email code: "Try another way", the code's identify page with {@code email}, the mailed code. */
    private void signInWithEmailCode(String email) throws Exception {
        int mails = mailbox.to(email).size();
        BrowserLoginIT.tryAnotherWay(driver, wait);
        BrowserLoginIT.chooseMethod(driver, "Email code");
        wait.until(ExpectedConditions.visibilityOfElementLocated(IDENTIFY_FORM));
        driver.findElement(By.id("username")).sendKeys(email);
        driver.findElement(By.id("kc-email-code-send")).click();
        enterCode(Mailbox.emailCode(mailbox.awaitNth(email, mails + 1, WAIT)));
    }

    private void enterCode(String code) {
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
        driver.findElement(By.id("code")).sendKeys(code);
        driver.findElement(By.id("kc-email-code-verify")).click();
        wait.until(ExpectedConditions.stalenessOf(form));
    }

    /** Keycloak's delete-credential page: Delete. */
    private void confirmDeletion() {
        WebElement accept = wait.until(ExpectedConditions.elementToBeClickable(By.id("kc-accept")));
        accept.click();
        wait.until(ExpectedConditions.stalenessOf(accept));
    }

    /** The page's first alert, as the user reads it. */
    private String alert() {
        List<WebElement> alerts = driver.findElements(By.cssSelector(".pf-v5-c-alert__title"));
        return alerts.isEmpty() ? "" : alerts.get(0).getText().trim();
    }

    /** The user's failed logins as the admin's brute-force endpoint counts them (waits up to 10 s for one). */
    private static int failures(String userId) {
        return admin.bruteForceFailures(REALM, userId, Duration.ofSeconds(10));
    }

    /** A call to the realm's account REST API with the user's own access token. */
    private static HttpResponse<String> accountApi(String method, String path, String accessToken) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(keycloak.realmUri(REALM) + "/account" + path))
                .header("Authorization", "Bearer " + accessToken)
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** An enabled user with a verified address and no credential at all; returns the id. */
    private static String createUserWithoutCredentials(String name, String email) {
        return admin.createUserWithoutCredentials(REALM, name, email);
    }

    private static String userPath(String id) {
        return "/admin/realms/" + REALM + "/users/" + id;
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }

    /** The chooser's buttons as "value text", in page order. */
    private List<String> choices() {
        wait.until(ExpectedConditions.visibilityOfElementLocated(CHOOSER));
        List<String> result = new ArrayList<>();
        for (WebElement button :
                driver.findElements(By.cssSelector("#kc-second-factor-form button[name='keyward_2fa_method']"))) {
            result.add(button.getAttribute("value") + " " + button.getText().trim());
        }
        return result;
    }

    private void choose(String method) {
        WebElement button =
                driver.findElement(By.cssSelector("button[name='keyward_2fa_method'][value='" + method + "']"));
        button.click();
        wait.until(ExpectedConditions.stalenessOf(button));
    }

    /** The admin switches two-factor sign-in on; the answer as it comes (refusals included). */
    /**
     * A user with an OPAQUE password (and a verified address if asked) who registers a passkey on
     * this test's device at the first sign-in; the admin then switches two-factor on.
     */
    private User twoFactorUserWithPasskey(boolean verifiedEmail) throws Exception {
        User user = User.create(verifiedEmail);
        Passkeys.attach(driver);
        user.registerPasskeyAtFirstSignIn(driver, wait);
        assertEquals(204, setTwoFactor(user.id()).statusCode());
        return user;
    }

    private static HttpResponse<String> setTwoFactor(String userId) {
        ObjectNode user = (ObjectNode) admin.get("/admin/realms/" + REALM + "/users/" + userId);
        user.with("attributes").set(ATTRIBUTE, JSON.createArrayNode().add("true"));
        return admin.exchange("PUT", "/admin/realms/" + REALM + "/users/" + userId, user);
    }

    /** The user's credential types as the admin API lists them. */
    private static List<String> credentialTypes(String userId) {
        List<String> types = new ArrayList<>();
        admin.get("/admin/realms/" + REALM + "/users/" + userId + "/credentials")
                .forEach(c -> types.add(c.path("type").asText()));
        return types;
    }

    /** A test's user: created with a Keycloak password, which the first OPAQUE sign-in turns into an OPAQUE record. */
    private record User(String id, String name, String email, String password) {
        static User create(boolean emailVerified) {
            String name = TestNames.user("pk");
            String email = name + "@example.test";
            String password = TestNames.password();
            return new User(admin.createUser(REALM, name, email, password, emailVerified), name, email, password);
        }

        /** The first sign-in asks for a passkey too: the OPAQUE form, then Keycloak's registration page. */
        void registerPasskeyAtFirstSignIn(WebDriver driver, WebDriverWait wait) throws Exception {
            try (CallbackServer callback = new CallbackServer()) {
                RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
                Passkeys.register(driver, rp, callback, () -> OpaqueForms.login(driver, wait, name, password), "Phone");
            }
            assertEquals(1, Passkeys.credentials(admin, REALM, id).size());
        }
    }
}
