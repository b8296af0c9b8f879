package dev.keyward.it.realm;

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
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * How people get into a realm imported from the export as shipped (issue 17, item 8): no
 * password ever crosses the wire. The admin creates the user without a credential and sends the
 * action email with {@code keyward-opaque-register}; the user opens the link and chooses an
 * OPAQUE password in the browser, then signs in with it. Legacy migration is off in the export,
 * so a user who has only a Keycloak password is not asked for it on the OPAQUE form. Own realm
 * (the export, with GreenMail as SMTP server).
 */
@KeywardTest
class OnboardingIT {
    private static final String REALM = "keyward-onboarding-it";
    private static final String CLIENT = RealmImportIT.CLIENT;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern ACTION_LINK = Pattern.compile("https?://\\S+/login-actions/action-token\\?\\S+");

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs, this class's mailbox
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static Mailbox mailbox;

    @BeforeAll
    static void realm() {
        RealmExport.importAsShipped(keycloak, admin, REALM, Map.of("smtpServer", mailbox.realmSmtp()));
    }

    /**
     * The admin's action email, the user's own OPAQUE password from its link, and a sign-in with
     * it; the account then has that one credential and no pending action, and the account
     * console offers no Keycloak password next to it.
     */
    @Test
    void anAdminsActionEmailLetsTheUserChooseAnOpaquePassword() throws Exception {
        String name = TestNames.user("new");
        String email = name + "@example.test";
        String password = "Own-" + KeycloakServer.randomSecret();
        String userId = admin.createUserWithoutCredentials(REALM, name, email);
        assertEquals(
                204,
                admin.exchange(
                                "PUT",
                                "/admin/realms/" + REALM + "/users/" + userId + "/execute-actions-email?lifespan=3600",
                                List.of("keyward-opaque-register"))
                        .statusCode());

        WebDriver driver = browser.driver();
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        MimeMessage actionMail = mailbox.awaitNth(email, 1, WAIT);
        String mailText = Mailbox.plainText(actionMail);
        // the action by its label in words (keyward email theme here)
        assertTrue(mailText.contains("following action(s): Set your password."), mailText);
        assertFalse(
                (mailText + Mailbox.html(actionMail)).contains("requiredAction."),
                "a raw message key in the email: " + mailText);
        Matcher link = ACTION_LINK.matcher(mailText);
        assertTrue(link.find(), "no action link");
        driver.get(link.group());
        WebElement proceed =
                wait.until(ExpectedConditions.elementToBeClickable(By.partialLinkText("Click here to proceed")));
        String confirmation = OpaqueForms.visibleText(driver);
        assertTrue(confirmation.contains("Perform the following action(s): Set your password"), confirmation);
        assertFalse(confirmation.contains("requiredAction."), confirmation);
        proceed.click();
        OpaqueForms.register(driver, wait, password);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-page-title")));
        assertTrue(
                OpaqueForms.visibleText(driver).contains("Your account has been updated."),
                OpaqueForms.visibleText(driver));

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, name, password);
            assertEquals(name, rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
        JsonNode user = admin.get("/admin/realms/" + REALM + "/users/" + userId);
        assertEquals(0, user.path("requiredActions").size(), user.toString());
        JsonNode credentials = admin.get("/admin/realms/" + REALM + "/users/" + userId + "/credentials");
        assertEquals(1, credentials.size(), credentials.toString());
        assertEquals("keyward-opaque", credentials.get(0).path("type").asText());

        String signingIn = keycloak.realmUri(REALM) + "/account/account-security/signing-in";
        driver.get(signingIn);
        wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid='keyward-opaque/credential-list']")));
        assertTrue(
                driver.findElements(By.cssSelector("[data-testid='password/title']"))
                        .isEmpty(),
                "the console offers a Keycloak password next to OPAQUE");
    }

    /** Migration is off as shipped: a Keycloak password is never asked for; the OPAQUE form says only "invalid". */
    @Test
    void aKeycloakPasswordIsNotMigratedAsShipped() throws Exception {
        String name = TestNames.user("old");
        String password = TestNames.password();
        String userId = admin.createUser(REALM, name, name + "@example.test", password);
        WebDriver driver = browser.driver();
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, name, password);
            OpaqueForms.awaitInvalid(driver, wait);
        }
        JsonNode credentials = admin.get("/admin/realms/" + REALM + "/users/" + userId + "/credentials");
        assertEquals("password", credentials.get(0).path("type").asText(), "migrated with migration off");
    }
}
