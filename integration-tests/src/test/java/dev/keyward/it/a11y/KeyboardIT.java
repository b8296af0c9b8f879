package dev.keyward.it.a11y;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import dev.keyward.it.harness.TestSecrets;
import dev.keyward.it.realm.RealmImportIT;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pack's pages with the keyboard alone (issue 22, item 3): after the browser opens the
 * sign-in page, every step is a key press (Tab to move, typing, Enter to press), never a click;
 * each element Tab stops on has an accessible name (what a screen reader says for it). A user signs
 * in and sets a new OPAQUE password; a two-factor user goes through "Try another way" to an email
 * code and passes the second factor with the password. Realm imported from the export (theme
 * {@code keyward}), GreenMail as SMTP.
 */
@KeywardTest
class KeyboardIT {
    private static final String REALM = "keyward-keyboard-it";
    private static final String CLIENT = RealmImportIT.CLIENT;
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Tab presses allowed to reach an element: a page of the pack has far fewer stops. */
    private static final int MAX_TABS = 30;

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    private ChromeDriver driver;
    private WebDriverWait wait;

    // set by @KeywardTest before @BeforeAll
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static Mailbox mailbox;

    @BeforeAll
    static void realm() {
        RealmExport.importAs(
                keycloak, admin, REALM, Map.of("smtpServer", mailbox.realmSmtp(), "quickLoginCheckMilliSeconds", 1));
    }

    @BeforeEach
    void browser() {
        driver = (ChromeDriver) browser.driver();
        wait = new WebDriverWait(driver, WAIT);
    }

    @Test
    void signInAndSetANewPassword() throws Exception {
        String name = TestNames.user("kbd");
        String password = TestNames.password();
        String newPassword = TestNames.password();
        admin.createUser(REALM, name, name + "@example.test", password);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(
                    keycloak, admin, REALM, CLIENT, callback, Map.of("kc_action", "keyward-opaque-register"));
            driver.get(rp.authorizationUri().toString());
            signInWithPassword(name, password);

            wait.until(ExpectedConditions.presenceOfElementLocated(OpaqueForms.READY));
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.REGISTER_FORM));
            TestSecrets.record(TestSecrets.Kind.PASSWORD, newPassword);
            tabTo(id("password-new"), "the new password");
            type(newPassword);
            tabTo(id("password-confirm"), "the confirmation");
            type(newPassword, Keys.ENTER);
            assertEquals(name, rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
    }

    @Test
    void emailCodeThenThePasswordAsSecondFactor() throws Exception {
        String name = TestNames.user("kbd2");
        String email = name + "@example.test";
        String password = TestNames.password();
        String id = admin.createUser(REALM, name, email, password);
        // set-up, not under test: a first sign-in turns the Keycloak password into an OPAQUE one,
        // the second usable method next to the address that two-factor sign-in needs
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, name, password);
            rp.finish(driver, WAIT);
        }
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        admin.enableTwoFactor(REALM, id);

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.presenceOfElementLocated(OpaqueForms.READY));
            tabTo(id("try-another-way"), "Try another way");
            type(Keys.ENTER);

            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".select-auth-box-parent")));
            tabTo(
                    // the method's own row (the page's body holds every headline too)
                    e -> "button".equals(e.getAttribute("role"))
                            && e.findElements(By.cssSelector(".select-auth-box-headline")).stream()
                                    .anyMatch(h -> h.getText().trim().equals("Email code")),
                    "the method \"Email code\"");
            type(Keys.ENTER);

            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-email-code-identify-form")));
            int mails = mailbox.to(email).size();
            tabTo(id("username"), "the address field");
            type(email, Keys.ENTER);

            WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-email-code-form")));
            String code = Mailbox.emailCode(mailbox.awaitNth(email, mails + 1, WAIT));
            tabTo(id("code"), "the code field");
            type(code, Keys.ENTER);
            wait.until(ExpectedConditions.stalenessOf(form));

            // the second factor: the password is the user's only other method
            wait.until(d -> !d.findElements(OpaqueForms.LOGIN_FORM).isEmpty()
                    || !d.findElements(By.id("kc-second-factor-form")).isEmpty());
            if (!driver.findElements(By.id("kc-second-factor-form")).isEmpty()) {
                tabTo(id("kc-second-factor-password"), "the password method");
                type(Keys.ENTER);
            }
            wait.until(ExpectedConditions.presenceOfElementLocated(OpaqueForms.READY));
            TestSecrets.record(TestSecrets.Kind.PASSWORD, password);
            tabTo(id("password"), "the password");
            type(password, Keys.ENTER);
            assertEquals(name, rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
    }

    /** On the OPAQUE sign-in page: the username (focused when the page opens), Tab, the password, Enter. */
    private void signInWithPassword(String name, String password) {
        TestSecrets.record(TestSecrets.Kind.PASSWORD, password);
        wait.until(ExpectedConditions.presenceOfElementLocated(OpaqueForms.READY));
        assertEquals("username", focused().getAttribute("id"), "the sign-in page opens with the username focused");
        type(name);
        tabTo(id("password"), "the password");
        type(password, Keys.ENTER);
    }

    /**
     * Presses Tab until the focused element is {@code target}; every element focused on the way
     * must have an accessible name.
     */
    private void tabTo(Predicate<WebElement> target, String what) {
        List<String> stops = new ArrayList<>();
        for (int i = 0; i <= MAX_TABS; i++) {
            WebElement now = focused();
            if (!"body".equals(now.getTagName())) {
                String label = now.getAccessibleName();
                stops.add(now.getTagName() + "#" + now.getAttribute("id") + " \"" + label + "\"");
                assertFalse(label == null || label.isBlank(), () -> "a Tab stop without a name: " + stops);
            }
            if (target.test(now)) {
                return;
            }
            type(Keys.TAB);
        }
        throw new AssertionError(what + " not reached with " + MAX_TABS + " Tab presses; stops: " + stops);
    }

    private static Predicate<WebElement> id(String id) {
        return e -> id.equals(e.getAttribute("id"));
    }

    private WebElement focused() {
        return driver.switchTo().activeElement();
    }

    /** Key presses to whatever has focus. */
    private void type(CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }
}
