package dev.keyward.it.a11y;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.Axe;
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
import dev.keyward.it.mfa.SecondFactorLoginIT;
import dev.keyward.it.realm.BrowserLoginIT;
import dev.keyward.it.realm.RealmImportIT;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every page the pack adds, and its error states, passes axe-core's WCAG 2.2 A and AA rules in
 * Chromium, light and dark, on a desktop and a 320 px screen ({@link Axe}), under the pack's
 * {@code keyward} login theme and under Keycloak's stock {@code keycloak.v2}: the OPAQUE sign-in
 * and registration pages, the email-code pages and their error states, the second-factor choice,
 * the pages that enable and disable two-factor sign-in, and the one that refuses to delete a
 * needed passkey. One realm per theme, imported from the export, with
 * GreenMail as SMTP. The light and dark sign-in page and an error state are saved as screenshots
 * for the docs ({@code target/screenshots/a11y-*.png}).
 */
@KeywardTest
class AccessibilityIT {
    private static final String CLIENT = RealmImportIT.CLIENT;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    private ChromeDriver driver;
    private WebDriverWait wait;

    // set by @KeywardTest before @BeforeAll
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static Mailbox mailbox;

    @BeforeAll
    static void realms() {
        for (String theme : new String[] {"keyward", "keycloak.v2"}) {
            RealmExport.importAs(
                    keycloak,
                    admin,
                    realm(theme),
                    Map.of(
                            "loginTheme",
                            theme,
                            "smtpServer",
                            mailbox.realmSmtp(),
                            "quickLoginCheckMilliSeconds",
                            1,
                            "registrationAllowed",
                            true,
                            "rememberMe",
                            true,
                            // the registration page then states a length rule before the first submit
                            "passwordPolicy",
                            "length(12) and notUsername"));
            // a code dies after three wrong tries, before the realm's five failures lock the user
            SecondFactorLoginIT.setConfig(admin, realm(theme), "keyward-email-code", Map.of("maxAttempts", "3"));
        }
    }

    @BeforeEach
    void browser() {
        driver = (ChromeDriver) browser.driver();
        wait = new WebDriverWait(driver, WAIT);
    }

    /** The sign-in page: fresh, after an empty submit (the script's message), after a wrong password (the server's). */
    @ParameterizedTest
    @ValueSource(strings = {"keyward", "keycloak.v2"})
    void signInPage(String theme) throws Exception {
        String realm = realm(theme);
        String name = TestNames.user("in");
        String password = TestNames.password();
        admin.createUser(realm, name, name + "@example.test", password);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, realm, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            check(theme, "sign-in");
            if (theme.equals("keyward")) {
                browser.screenshot("a11y-sign-in-light");
                Axe.show(driver, Axe.Variant.DARK);
                browser.screenshot("a11y-sign-in-dark");
                Axe.show(driver, Axe.Variant.LIGHT);
            }

            OpaqueForms.submit(driver, wait);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("keyward-opaque-error")));
            check(theme, "sign-in-empty");

            OpaqueForms.login(driver, wait, name, password + "-wrong");
            OpaqueForms.awaitInvalid(driver, wait);
            check(theme, "sign-in-invalid");
            if (theme.equals("keyward")) {
                Axe.show(driver, Axe.Variant.DARK_320);
                browser.screenshot("a11y-sign-in-invalid-dark-320");
                Axe.show(driver, Axe.Variant.LIGHT);
            }

            OpaqueForms.login(driver, wait, name, password);
            rp.finish(driver, WAIT);
        }
    }

    /** Setting a new OPAQUE password (the required action): the page, then a confirmation that does not match. */
    @ParameterizedTest
    @ValueSource(strings = {"keyward", "keycloak.v2"})
    void registrationPage(String theme) throws Exception {
        String realm = realm(theme);
        String name = TestNames.user("reg");
        String password = TestNames.password();
        admin.createUser(realm, name, name + "@example.test", password);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(
                    keycloak, admin, realm, CLIENT, callback, Map.of("kc_action", "keyward-opaque-register"));
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, name, password);
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.REGISTER_FORM));
            check(theme, "register");

            // three faults at once (the user's name, too short, a confirmation that differs): one
            // alert listing them, which must fit a phone
            driver.findElement(By.id("password-new")).sendKeys(name);
            driver.findElement(By.id("password-confirm")).sendKeys(name + "-other");
            OpaqueForms.submit(driver, wait, "kc-submit");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#keyward-opaque-error li")));
            check(theme, "register-errors");

            driver.findElement(By.id("password-new")).clear();
            driver.findElement(By.id("password-confirm")).clear();
            OpaqueForms.register(driver, wait, password + "-new");
            rp.finish(driver, WAIT);
        }
    }

    /**
     * A sign-in page whose script never runs (blocked, as a proxy or an extension might): the hint
     * instead of a working button; and the server's page for a form posted anyway.
     */
    @ParameterizedTest
    @ValueSource(strings = {"keyward", "keycloak.v2"})
    void withoutThePageScript(String theme) throws Exception {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/js/keyward-opaque-*")));
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, realm(theme), CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("keyward-opaque-script-hint")));
            assertFalse(driver.findElement(By.id("kc-login")).isEnabled(), "the button waits for the script");
            check(theme, "sign-in-no-script");

            driver.findElement(By.id("username")).sendKeys(TestNames.user("noscript"));
            driver.executeScript("document.getElementById('kc-login').disabled = false;");
            driver.findElement(By.id("kc-login")).click();
            wait.until(d -> OpaqueForms.visibleText(d).contains("did not run on this page"));
            check(theme, "sign-in-no-script-posted");
        }
    }

    /** Email code as the first factor: "Try another way", the address page, the code page, a wrong code. */
    @ParameterizedTest
    @ValueSource(strings = {"keyward", "keycloak.v2"})
    void emailCodePages(String theme) throws Exception {
        String realm = realm(theme);
        String name = TestNames.user("code");
        String email = name + "@example.test";
        admin.createUser(realm, name, email, TestNames.password());
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, realm, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            BrowserLoginIT.tryAnotherWay(driver, wait);
            check(theme, "try-another-way");
            BrowserLoginIT.chooseMethod(driver, "Email code");

            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-email-code-identify-form")));
            check(theme, "email-code-identify");
            String code = requestCode(email);
            WebElement form = driver.findElement(By.id("kc-email-code-form"));
            check(theme, "email-code");
            driver.findElement(By.id("code")).sendKeys(wrong(code));
            driver.findElement(By.id("kc-email-code-verify")).click();
            wait.until(ExpectedConditions.stalenessOf(form));
            form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-email-code-form")));
            check(theme, "email-code-wrong");

            driver.findElement(By.id("code")).sendKeys(code);
            driver.findElement(By.id("kc-email-code-verify")).click();
            rp.finish(driver, WAIT);
        }
    }

    /**
     * The email-code pages' other answers: a name left out, a resend inside the cooldown, a code
     * left out, and a code that died of its wrong tries.
     */
    @ParameterizedTest
    @ValueSource(strings = {"keyward", "keycloak.v2"})
    void emailCodeErrorStates(String theme) throws Exception {
        String realm = realm(theme);
        String name = TestNames.user("codes");
        String email = name + "@example.test";
        admin.createUser(realm, name, email, TestNames.password());
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, realm, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            BrowserLoginIT.tryAnotherWay(driver, wait);
            BrowserLoginIT.chooseMethod(driver, "Email code");

            WebElement form =
                    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-email-code-identify-form")));
            driver.findElement(By.id("kc-email-code-send")).click();
            answered(form, "kc-email-code-identify-form", "Please enter your username or email.");
            check(theme, "email-code-identify-empty");

            String code = requestCode(email);
            form = driver.findElement(By.id("kc-email-code-form"));

            driver.findElement(By.id("kc-email-code-resend")).click();
            form = answered(form, "kc-email-code-form", "A code was sent less than 60 seconds ago");
            check(theme, "email-code-cooldown");

            driver.findElement(By.id("kc-email-code-verify")).click();
            form = answered(form, "kc-email-code-form", "Please enter the code from the email.");
            check(theme, "email-code-missing");

            for (int i = 0; i < 3; i++) {
                driver.findElement(By.id("code")).sendKeys(wrong(code));
                driver.findElement(By.id("kc-email-code-verify")).click();
                form = answered(form, "kc-email-code-form", i < 2 ? "Invalid code." : "Too many wrong codes");
            }
            check(theme, "email-code-exhausted");
        }
    }

    /** The email code as second factor while the realm's mail server is down: the page says so. */
    @ParameterizedTest
    @ValueSource(strings = {"keyward", "keycloak.v2"})
    void emailCodeWhenNoMailGoesOut(String theme) throws Exception {
        String realm = realm(theme);
        String name = TestNames.user("nomail");
        String password = TestNames.password();
        String id = admin.createUser(realm, name, name + "@example.test", password);
        // a first sign-in turns the Keycloak password into an OPAQUE one: two methods with the address
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, realm, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, name, password);
            rp.finish(driver, WAIT);
        }
        signOut();
        admin.enableTwoFactor(realm, id);
        admin.updateRealm(realm, Map.of("smtpServer", Mailbox.unreachableSmtp()));
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, realm, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, name, password);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-email-code-form")));
            wait.until(d -> OpaqueForms.visibleText(d).contains("We could not send the email right now."));
            check(theme, "email-code-send-failed");
        } finally {
            admin.updateRealm(realm, Map.of("smtpServer", mailbox.realmSmtp()));
        }
    }

    /**
     * The page that refuses to delete a passkey two-factor sign-in needs (a user with exactly a
     * password and that passkey).
     */
    @ParameterizedTest
    @ValueSource(strings = {"keyward", "keycloak.v2"})
    void aNeededPasskeyIsNotDeleted(String theme) throws Exception {
        String realm = realm(theme);
        String name = TestNames.user("keep");
        String password = TestNames.password();
        // no verified address: the password and the passkey are the user's only two methods
        String id = twoFactorUserWithPasskey(realm, name, password, false);
        String passkey =
                Passkeys.credentials(admin, realm, id).get(0).path("id").asText();

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(
                    keycloak, admin, realm, CLIENT, callback, Map.of("kc_action", "delete_credential:" + passkey));
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, name, password);
            Passkeys.signIn(driver, wait);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-delete-refused")));
            check(theme, "delete-credential-refused");
            driver.findElement(By.id("kc-decline")).click();
            rp.finishTokens(driver, WAIT);
        }
        assertEquals(1, Passkeys.credentials(admin, realm, id).size(), "the needed passkey was removed");
    }

    /**
     * Two-factor sign-in: the second-factor choice (a user with a password, a passkey and an
     * address), the OPAQUE page as second factor, the page that turns two-factor sign-in off; and
     * for a user with one method, the page that turns it on.
     */
    @ParameterizedTest
    @ValueSource(strings = {"keyward", "keycloak.v2"})
    void twoFactorPages(String theme) throws Exception {
        String realm = realm(theme);
        String name = TestNames.user("2fa");
        String email = name + "@example.test";
        String password = TestNames.password();
        twoFactorUserWithPasskey(realm, name, password, true);

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(
                    keycloak, admin, realm, CLIENT, callback, Map.of("kc_action", "keyward-disable-two-factor"));
            driver.get(rp.authorizationUri().toString());
            BrowserLoginIT.tryAnotherWay(driver, wait);
            BrowserLoginIT.chooseMethod(driver, "Email code");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-email-code-identify-form")));
            String code = requestCode(email);
            WebElement form = driver.findElement(By.id("kc-email-code-form"));
            driver.findElement(By.id("code")).sendKeys(code);
            driver.findElement(By.id("kc-email-code-verify")).click();
            wait.until(ExpectedConditions.stalenessOf(form));

            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-second-factor-form")));
            check(theme, "second-factor");
            driver.findElement(By.id("kc-second-factor-password")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            check(theme, "second-factor-password");
            OpaqueForms.loginOrReauthenticate(driver, wait, name, password);

            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-disable-two-factor-form")));
            check(theme, "disable-two-factor");
            driver.findElement(By.id("kc-2fa-disable")).click();
            rp.finishTokens(driver, WAIT);
        }
        signOut();

        String one = TestNames.user("one");
        admin.createUser(realm, one, one + "@example.test", password, false);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(
                    keycloak, admin, realm, CLIENT, callback, Map.of("kc_action", "keyward-enable-two-factor"));
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, one, password);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-enable-two-factor-form")));
            check(theme, "enable-two-factor");
            driver.findElement(By.id("kc-2fa-cancel")).click();
            rp.finishTokens(driver, WAIT);
        }
    }

    /** The harness's own check fails on a page with a known violation: the runs above can fail. */
    @Test
    void axeFindsAViolation() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, realm("keyward"), CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
        }
        driver.executeScript("const i = document.createElement('input'); i.type = 'text';"
                + " document.getElementById('kc-opaque-login-form').appendChild(i);");
        List<String> found = Axe.run(driver, "self-check", Axe.Variant.LIGHT);
        assertTrue(found.stream().anyMatch(v -> v.contains("] label (")), found::toString);

        // a focused button that cannot be read, and a page wider than a phone
        driver.executeScript("const b = document.getElementById('kc-login');"
                + " b.addEventListener('focus', () => { b.style.background = '#777'; b.style.color = '#888'; });"
                + " const wide = document.createElement('div'); wide.style.width = '600px'; wide.textContent = 'x';"
                + " document.body.appendChild(wide);");
        AssertionError failed = assertThrows(AssertionError.class, () -> Axe.check(driver, "self-check-2"));
        assertTrue(failed.getMessage().contains(", focused] color-contrast"), failed::getMessage);
        assertTrue(failed.getMessage().contains("[LIGHT_320] reflow"), failed::getMessage);
    }

    /**
     * axe on the page shown; under stock keycloak.v2 its own layout's known defects aside ({@link
     * Axe#KEYCLOAK_V2_DEFECTS}). An OPAQUE page is checked once its script is ready (its buttons
     * start disabled), unless the test blocked the script.
     */
    private void check(String theme, String page) {
        boolean opaque = !driver.findElements(By.cssSelector("form[data-keyward-opaque]"))
                .isEmpty();
        if (opaque && !page.contains("no-script")) {
            wait.until(ExpectedConditions.presenceOfElementLocated(OpaqueForms.READY));
        }
        Axe.checkUnder(driver, theme + "-" + page, theme.equals("keycloak.v2") ? Axe.KEYCLOAK_V2_DEFECTS : Map.of());
    }

    /**
     * A user with an OPAQUE password (made by the first sign-in) and a passkey, two-factor on,
     * signed out; with a verified address when {@code emailVerified}. Returns the user's id.
     */
    private String twoFactorUserWithPasskey(String realm, String name, String password, boolean emailVerified)
            throws Exception {
        String id = admin.createUser(realm, name, name + "@example.test", password, emailVerified);
        Passkeys.attach(driver);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, realm, CLIENT, callback);
            Passkeys.register(driver, rp, callback, () -> OpaqueForms.login(driver, wait, name, password), "Phone");
        }
        admin.enableTwoFactor(realm, id);
        signOut();
        return id;
    }

    /** On the email-code address page: asks a code for {@code email}; waits for the code page and returns the mailed code. */
    private String requestCode(String email) throws Exception {
        int mails = mailbox.to(email).size();
        WebElement identify = driver.findElement(By.id("kc-email-code-identify-form"));
        driver.findElement(By.id("username")).sendKeys(email);
        driver.findElement(By.id("kc-email-code-send")).click();
        wait.until(ExpectedConditions.stalenessOf(identify));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-email-code-form")));
        return Mailbox.emailCode(mailbox.awaitNth(email, mails + 1, WAIT));
    }

    /** Waits for the page that replaces {@code before}: form {@code formId} again, saying {@code text}. */
    private WebElement answered(WebElement before, String formId, String text) {
        wait.until(ExpectedConditions.stalenessOf(before));
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(formId)));
        wait.until(d -> OpaqueForms.visibleText(d).contains(text));
        return form;
    }

    private void signOut() {
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    }

    private static String realm(String theme) {
        return "keyward-a11y-" + theme.replace('.', '-');
    }

    /** Another code of the same shape: each digit moved by one. */
    private static String wrong(String code) {
        StringBuilder other = new StringBuilder();
        for (char c : code.toCharArray()) {
            other.append(Character.isDigit(c) ? (char) ('0' + (c - '0' + 1) % 10) : c);
        }
        return other.toString();
    }
}
