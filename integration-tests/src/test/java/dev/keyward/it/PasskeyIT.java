package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * sign-in, and the second-factor step runs Keycloak's passkey page. Own realm, imported from the
 * export, with GreenMail as its SMTP server (so a verified address is an email-code method too).
 * Each test has its own user and browser.
 */
class PasskeyIT {
    private static final String REALM = "keyward-passkey-it";
    private static final String CLIENT = RealmImportIT.CLIENT;
    private static final String ATTRIBUTE = "two_factor_enabled";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final By CHOOSER = By.id("kc-second-factor-form");
    private static final By CODE_FORM = By.id("kc-email-code-form");
    private static final By SWITCH = By.id("kc-second-factor-switch");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final GreenMailExtension MAIL = Mailbox.smtpServer();
    private static final Mailbox MAILBOX = new Mailbox(MAIL);

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();
    private WebDriver driver;
    private WebDriverWait wait;

    private static KeycloakServer keycloak;
    private static AdminApi admin;

    @BeforeAll
    static void realm() {
        keycloak = KeycloakServer.get();
        admin = new AdminApi(keycloak);
        RealmExport.importAs(keycloak, admin, REALM, Map.of("smtpServer", Mailbox.realmSmtp(MAIL),
                "quickLoginCheckMilliSeconds", 1));
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
        assertEquals("keywardTwoFactorNeedsTwoMethods", JSON.readTree(refused.body()).path("errorMessage").asText(), refused.body());

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            assertEquals(user.name(), Passkeys.register(driver, rp, callback, () -> { }, "Work laptop")
                    .getStringClaim("preferred_username"));
        }

        List<JsonNode> passkeys = Passkeys.credentials(admin, REALM, user.id());
        assertEquals(1, passkeys.size(), passkeys::toString);
        assertEquals("Work laptop", passkeys.get(0).path("userLabel").asText());
        List<Credential> onDevice = device.getCredentials();
        assertEquals(1, onDevice.size());
        assertTrue(onDevice.get(0).isResidentCredential(), "not a discoverable credential");
        assertEquals("localhost", onDevice.get(0).getRpId());
        assertArrayEquals(user.id().getBytes(StandardCharsets.UTF_8), onDevice.get(0).getUserHandle());
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
        User user = User.create(false);
        Passkeys.attach(driver);
        user.registerPasskeyAtFirstSignIn(driver, wait);
        assertEquals(204, setTwoFactor(user.id()).statusCode());

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, user.name(), user.password());
            wait.until(ExpectedConditions.visibilityOfElementLocated(Passkeys.SIGN_IN_BUTTON));
            assertEquals("Sign in with Passkey", driver.findElement(Passkeys.SIGN_IN_BUTTON).getText().trim());
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
        User user = User.create(true);
        Passkeys.attach(driver);
        user.registerPasskeyAtFirstSignIn(driver, wait);
        assertEquals(204, setTwoFactor(user.id()).statusCode());

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            int mails = MAILBOX.to(user.email()).size();
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, user.name(), user.password());

            assertEquals(List.of("PASSKEY Passkey", "EMAIL_CODE Email code"), choices());
            choose("EMAIL_CODE");
            wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
            // the code arrives (and is not needed: the user switches)
            Mailbox.emailCode(MAILBOX.awaitNth(user.email(), mails + 1, WAIT));
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

    // --- helpers

    /** The chooser's buttons as "value text", in page order. */
    private List<String> choices() {
        wait.until(ExpectedConditions.visibilityOfElementLocated(CHOOSER));
        List<String> result = new ArrayList<>();
        for (WebElement button : driver.findElements(By.cssSelector("#kc-second-factor-form button[name='keyward_2fa_method']"))) {
            result.add(button.getAttribute("value") + " " + button.getText().trim());
        }
        return result;
    }

    private void choose(String method) {
        WebElement button = driver.findElement(By.cssSelector("button[name='keyward_2fa_method'][value='" + method + "']"));
        button.click();
        wait.until(ExpectedConditions.stalenessOf(button));
    }

    /** The admin switches two-factor sign-in on; the answer as it comes (refusals included). */
    private static HttpResponse<String> setTwoFactor(String userId) {
        ObjectNode user = (ObjectNode) admin.get("/admin/realms/" + REALM + "/users/" + userId);
        user.with("attributes").set(ATTRIBUTE, JSON.createArrayNode().add("true"));
        return admin.exchange("PUT", "/admin/realms/" + REALM + "/users/" + userId, user);
    }

    /** The user's credential types as the admin API lists them. */
    private static List<String> credentialTypes(String userId) {
        List<String> types = new ArrayList<>();
        admin.get("/admin/realms/" + REALM + "/users/" + userId + "/credentials").forEach(c -> types.add(c.path("type").asText()));
        return types;
    }

    /** A test's user: created with a Keycloak password, which the first OPAQUE sign-in turns into an OPAQUE record. */
    private record User(String id, String name, String email, String password) {
        static User create(boolean emailVerified) {
            String name = "pk-" + KeycloakServer.randomSecret().substring(0, 8).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "x");
            String email = name + "@example.test";
            String password = "Pw-" + KeycloakServer.randomSecret();
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
