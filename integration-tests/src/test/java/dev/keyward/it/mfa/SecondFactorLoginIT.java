package dev.keyward.it.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.keyward.it.realm.BrowserLoginIT;
import dev.keyward.it.realm.RealmImportIT;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * The export's browser flow with two-factor sign-in on (issue 5, first part): after a local first
 * factor, keyward-second-factor asks for one of the user's other usable methods and never the one
 * just used; its MFA session runs out on its own clock. Own realm, imported from the export, with
 * GreenMail as its SMTP server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@KeywardTest
public class SecondFactorLoginIT {
    private static final String REALM = "keyward-2fa-it";
    private static final String CLIENT = RealmImportIT.CLIENT;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final By CODE_FORM = By.id("kc-email-code-form");

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();
    /** This test's browser (BrowserExtension starts one before each test) and a wait on it. */
    private WebDriver driver;

    private WebDriverWait wait;

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs, this class's mailbox
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static Mailbox mailbox;
    private static final String USERNAME = TestNames.user("tina");
    private static final String EMAIL = USERNAME + "@example.test";
    private static final String PASSWORD = TestNames.password();
    private static String userId;

    @BeforeEach
    void browser() {
        driver = browser.driver();
        wait = new WebDriverWait(driver, WAIT);
    }

    @BeforeAll
    static void realm() {
        RealmExport.importAs(
                keycloak, admin, REALM, Map.of("smtpServer", mailbox.realmSmtp(), "quickLoginCheckMilliSeconds", 1));
        // the tests sign in several times a minute
        setConfig("keyward-email-code", Map.of("resendCooldownSeconds", "0", "maxSendsPerHour", "20"));
        userId = admin.createUser(REALM, USERNAME, EMAIL, PASSWORD);
    }

    /** Two-factor off: the password alone signs in (and moves the Keycloak password to OPAQUE). Then the admin turns it on. */
    @Test
    @Order(1)
    void withTwoFactorOffOneFactorIsEnough() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, USERNAME, PASSWORD);
            assertEquals(USERNAME, rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
        admin.enableTwoFactor(REALM, userId);
    }

    /** Password first: the second factor is the email code, started at once (the password is not offered again). */
    @Test
    @Order(2)
    void passwordFirstThenTheEmailCode() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            int mails = mailbox.to(EMAIL).size();
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, USERNAME, PASSWORD);
            wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
            assertEquals("We sent a code to " + USERNAME.charAt(0) + "\u2022\u2022\u2022@example.test.", alert(driver));
            // one other method only: nothing to switch to
            assertTrue(driver.findElements(By.id("kc-second-factor-switch")).isEmpty());
            assertTrue(driver.findElements(OpaqueForms.LOGIN_FORM).isEmpty());
            enterCode(driver, wait, codeFrom(mails + 1));
            assertEquals(USERNAME, rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
    }

    /**
     * Email code first: the second factor is the password, on the OPAQUE form without a username
     * field. A wrong password there counts as a failed login, like one on the first factor.
     */
    @Test
    @Order(3)
    void emailCodeFirstThenThePassword() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            int mails = mailbox.to(EMAIL).size();
            driver.get(rp.authorizationUri().toString());
            BrowserLoginIT.tryAnotherWay(driver, wait);
            BrowserLoginIT.chooseMethod(driver, "Email code");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-email-code-identify-form")));
            driver.findElement(By.id("username")).sendKeys(EMAIL);
            driver.findElement(By.id("kc-email-code-send")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
            enterCode(driver, wait, codeFrom(mails + 1));

            WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            assertTrue(
                    driver.findElements(By.id("username")).isEmpty(), "the second factor asks for the username again");
            assertTrue(driver.findElements(CODE_FORM).isEmpty(), "the email code is offered again");
            driver.findElement(By.id("password")).sendKeys("Wrong-" + PASSWORD);
            OpaqueForms.submit(driver, wait);
            OpaqueForms.awaitInvalid(driver, wait);
            assertTrue(failures() >= 1, "a wrong second-factor password was not counted");

            form = wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            driver.findElement(By.id("password")).sendKeys(PASSWORD);
            OpaqueForms.submit(driver, wait);
            assertEquals(USERNAME, rp.finish(driver, WAIT).getStringClaim("preferred_username"));
            assertFalse(form == null);
        }
    }

    /** The MFA session: a second factor finished after its limit sends the user back to the first. */
    @Test
    @Order(4)
    void theMfaSessionRunsOut() throws Exception {
        setConfig("keyward-second-factor", Map.of("mfaSessionSeconds", "3"));
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            int mails = mailbox.to(EMAIL).size();
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, USERNAME, PASSWORD);
            wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
            String code = codeFrom(mails + 1);
            KeycloakServer.sleep(Duration.ofSeconds(5));
            driver.findElement(By.id("code")).sendKeys(code);
            driver.findElement(By.id("kc-email-code-verify")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            assertTrue(driver.findElement(By.id("username")).isDisplayed(), "not back at the first factor");
            assertEquals("Signing in took too long. Please start again.", alert(driver));
        } finally {
            setConfig("keyward-second-factor", Map.of("mfaSessionSeconds", "300"));
        }
    }

    // --- helpers

    private static void enterCode(WebDriver driver, WebDriverWait wait, String code) {
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
        driver.findElement(By.id("code")).sendKeys(code);
        driver.findElement(By.id("kc-email-code-verify")).click();
        wait.until(ExpectedConditions.stalenessOf(form));
    }

    /** The code in the {@code n}th mail to the user. */
    private static String codeFrom(int n) throws Exception {
        return Mailbox.emailCode(mailbox.awaitNth(EMAIL, n, WAIT));
    }

    private static String alert(WebDriver driver) {
        List<WebElement> alerts = driver.findElements(By.cssSelector(".pf-v5-c-alert__title"));
        return alerts.isEmpty() ? "" : alerts.get(0).getText().trim();
    }

    private static int failures() {
        return admin.bruteForceFailures(REALM, userId, Duration.ofSeconds(10));
    }

    /** Replaces the settings of the export's execution config {@code alias} in this realm. */
    private static void setConfig(String alias, Map<String, String> changes) {
        setConfig(admin, REALM, alias, changes);
    }

    /** Replaces the settings of the export's execution config {@code alias} in {@code realm}. */
    public static void setConfig(AdminApi admin, String realm, String alias, Map<String, String> changes) {
        for (JsonNode flow : admin.get("/admin/realms/" + realm + "/authentication/flows")) {
            // configs are reached through executions; any top-level flow will do, their subflows are listed too
            for (JsonNode execution : admin.get("/admin/realms/" + realm + "/authentication/flows/"
                    + flow.path("alias").asText().replace(" ", "%20") + "/executions")) {
                String id = execution.path("authenticationConfig").asText();
                if (id.isEmpty()) {
                    continue;
                }
                JsonNode config = admin.get("/admin/realms/" + realm + "/authentication/config/" + id);
                if (alias.equals(config.path("alias").asText())) {
                    com.fasterxml.jackson.databind.node.ObjectNode values =
                            (com.fasterxml.jackson.databind.node.ObjectNode) config.path("config");
                    changes.forEach(values::put);
                    admin.send("PUT", "/admin/realms/" + realm + "/authentication/config/" + id, config);
                    return;
                }
            }
        }
        throw new AssertionError("no authenticator config " + alias);
    }
}
