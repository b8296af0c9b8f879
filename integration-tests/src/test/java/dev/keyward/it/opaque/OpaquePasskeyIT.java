package dev.keyward.it.opaque;

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
import dev.keyward.it.harness.OpaqueForms;
import dev.keyward.it.harness.Passkeys;
import dev.keyward.it.harness.RealmExport;
import dev.keyward.it.harness.RelyingParty;
import dev.keyward.it.harness.TestNames;
import dev.keyward.it.realm.RealmImportIT;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;

/**
 * Passkeys on the OPAQUE sign-in page (the export's realm, whose passwordless policy enables
 * passkeys), with Chromium's virtual authenticator as the user's device: the page's "Sign in with
 * a passkey" button signs in end to end and the tokens say {@code hwk}; a two-factor user who
 * starts with the passkey is then asked for another method; the username field offers passkeys in
 * the browser's autofill (conditional UI), whose request the page starts with Keycloak's policy,
 * and a passkey picked there signs in (headless Chromium's virtual authenticator answers it at
 * once; the other tests attach it with conditional mediation off, as a user who ignores the
 * autofill); a
 * re-authentication opens on the OPAQUE page; a failed passkey leaves the page usable for the
 * password. After a password attempt for another name, a passkey ceremony that ends in the browser
 * counts nothing against that name, and a passkey sign-in is recorded under the passkey's owner; a
 * temporarily locked user still signs in with a passkey, as on Keycloak's passkey step. Each test
 * has its own user and browser.
 */
@KeywardTest
class OpaquePasskeyIT {
    private static final String REALM = "keyward-opaque-passkey-it";
    private static final String CLIENT = RealmImportIT.CLIENT;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Records every navigator.credentials.get the page makes (options only), before any page script runs. */
    private static final String RECORD_REQUESTS = """
            (() => {
              window.__passkeyRequests = [];
              if (!navigator.credentials) return;
              const get = navigator.credentials.get.bind(navigator.credentials);
              navigator.credentials.get = (options) => {
                const p = options.publicKey;
                window.__passkeyRequests.push({
                  mediation: options.mediation || "",
                  rpId: p.rpId,
                  userVerification: p.userVerification || "",
                  allowCredentials: (p.allowCredentials || []).length,
                  challengeBytes: p.challenge.byteLength,
                  signal: !!options.signal,
                });
                return get(options);
              };
            })();
            """;

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    private WebDriver driver;
    private WebDriverWait wait;

    // set by @KeywardTest before @BeforeAll
    private static KeycloakServer keycloak;
    private static AdminApi admin;

    @BeforeAll
    static void realm() {
        RealmExport.importAs(keycloak, admin, REALM, Map.of("quickLoginCheckMilliSeconds", 1));
    }

    @BeforeEach
    void browser() {
        driver = browser.driver();
        wait = new WebDriverWait(driver, WAIT);
    }

    /**
     * A user registers a passkey, signs out, and comes back: the OPAQUE page shows "Sign in with a
     * passkey" under the form; the button alone signs in (no name, no password), and the tokens say
     * a single-factor passkey login ({@code amr} exactly {@code hwk}).
     */
    @Test
    void theButtonSignsInWithAPasskey() throws Exception {
        Passkeys.attach(driver);
        User user = signedOutUserWithPasskey();

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            WebElement button = wait.until(ExpectedConditions.visibilityOfElementLocated(Passkeys.OPAQUE_PAGE_BUTTON));
            assertEquals("Sign in with a passkey", button.getText().trim());
            assertTrue(button.getAttribute("class").contains("pf-v5-u-mt-md"), "no gap above the button");
            browser.screenshot("sign-in-passkey");
            Passkeys.signInOnOpaquePage(driver, wait);
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertEquals(user.name(), tokens.id().getStringClaim("preferred_username"));
            assertEquals("single-factor", tokens.id().getStringClaim("acr"));
            assertEquals(List.of("hwk"), tokens.id().getStringListClaim("amr"));
        }
    }

    /**
     * Two-factor on (password and passkey): the passkey from the OPAQUE page is the first factor,
     * so the second is the password (the OPAQUE page again, for this user, without a passkey
     * offer), never the passkey; the tokens say two-factor with {@code hwk} and {@code pwd}.
     */
    @Test
    void aTwoFactorUserWhoStartsWithThePasskeyProvesThePasswordNext() throws Exception {
        User user = User.create();
        Passkeys.attach(driver);
        user.registerPasskeyAtFirstSignIn(driver, wait);
        assertEquals(204, user.switchTwoFactorOn().statusCode());
        signOut(user);

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            Passkeys.signInOnOpaquePage(driver, wait);

            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            assertTrue(driver.findElements(By.id("username")).isEmpty(), "the second factor asks for the name");
            assertTrue(driver.findElements(Passkeys.OPAQUE_PAGE_BUTTON).isEmpty(), "the passkey offered twice");
            assertTrue(driver.findElements(Passkeys.SIGN_IN_BUTTON).isEmpty(), "Keycloak's passkey page");
            OpaqueForms.loginOrReauthenticate(driver, wait, user.name(), user.password());
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertEquals("two-factor", tokens.id().getStringClaim("acr"));
            assertEquals(List.of("hwk", "mfa", "pwd"), sorted(tokens.id().getStringListClaim("amr")));
        }
    }

    /**
     * The username field carries {@code autocomplete="username webauthn"} and the page starts the
     * conditional (autofill) request at once, with Keycloak's passwordless policy: mediation
     * {@code conditional}, no allowCredentials (the browser lists the site's passkeys), the
     * realm's relying party and required user verification, Keycloak's 16-byte challenge, and an abort
     * signal (the button replaces it).
     */
    @Test
    void theUsernameFieldOffersPasskeysInTheAutofill() throws Exception {
        beforeEveryPage(RECORD_REQUESTS);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            assertEquals(
                    "username webauthn", driver.findElement(By.id("username")).getAttribute("autocomplete"));
            wait.until(ExpectedConditions.visibilityOfElementLocated(Passkeys.OPAQUE_PAGE_BUTTON));
            Object available = ((JavascriptExecutor) driver)
                    .executeAsyncScript("const done = arguments[arguments.length - 1];"
                            + " PublicKeyCredential.isConditionalMediationAvailable().then(done, () => done(null));");
            assertEquals(Boolean.TRUE, available, "this Chromium offers no conditional mediation");
            wait.until(d -> ((Number) ((JavascriptExecutor) d).executeScript("return window.__passkeyRequests.length;"))
                            .intValue()
                    > 0);
            Object request = ((JavascriptExecutor) driver).executeScript("return window.__passkeyRequests[0];");
            assertEquals(
                    Map.of(
                            "mediation",
                            "conditional",
                            "rpId",
                            "localhost",
                            "userVerification",
                            "required",
                            "allowCredentials",
                            0L,
                            "challengeBytes",
                            16L,
                            "signal",
                            true),
                    request);
        }
    }

    /**
     * The autofill end to end: a user with a passkey on this device opens the page and picks the
     * passkey the browser offers in the username field (Chromium's virtual authenticator picks it
     * at once); no click, no name, no password, and the tokens say {@code hwk}.
     */
    @Test
    void thePasskeyFromTheAutofillSignsIn() throws Exception {
        Passkeys.attachWithAutofill(driver);
        User user = signedOutUserWithPasskey();

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertEquals(user.name(), tokens.id().getStringClaim("preferred_username"));
            assertEquals(List.of("hwk"), tokens.id().getStringListClaim("amr"));
        }
    }

    /**
     * A user who signed in with the password and then comes back with prompt=login: the OPAQUE page
     * (naming nobody, asking only the password), with the passkey offered, not Keycloak's passkey
     * page; the password signs in.
     */
    @Test
    void reauthenticationOpensTheOpaquePage() throws Exception {
        User user = User.create();
        Passkeys.attach(driver);
        user.registerPasskeyAtFirstSignIn(driver, wait);

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback, Map.of("prompt", "login"));
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            assertTrue(driver.findElements(Passkeys.SIGN_IN_BUTTON).isEmpty(), "Keycloak's passkey page");
            assertTrue(driver.findElements(By.id("username")).isEmpty(), "the known user's name is asked");
            assertTrue(driver.findElement(Passkeys.OPAQUE_PAGE_BUTTON).isDisplayed(), "no passkey offered");
            OpaqueForms.loginOrReauthenticate(driver, wait, user.name(), user.password());
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertEquals(user.name(), tokens.id().getStringClaim("preferred_username"));
            assertEquals(List.of("pwd"), tokens.id().getStringListClaim("amr"));
        }
    }

    /**
     * A device that fails user verification: the passkey is refused with Keycloak's passkey error,
     * on the OPAQUE page again (the button still there), and the password then signs in.
     */
    @Test
    void aFailedPasskeyLeavesThePageUsableForThePassword() throws Exception {
        VirtualAuthenticator device = Passkeys.attach(driver);
        User user = signedOutUserWithPasskey();
        device.setUserVerified(false);

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            passkeyRefusedOnTheOpaquePage();
            assertFalse(driver.findElements(By.id("username")).isEmpty(), "the name field is gone");
            OpaqueForms.login(driver, wait, user.name(), user.password());
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertEquals(user.name(), tokens.id().getStringClaim("preferred_username"));
            assertEquals(List.of("pwd"), tokens.id().getStringListClaim("amr"));
        }
    }

    /**
     * Someone types a name and a wrong password (counted, then cleared by the admin), then tries
     * "Sign in with a passkey" and the device refuses (the browser's dialog ends without a
     * passkey, as a dismissed dialog does): the OPAQUE page again with Keycloak's passkey error,
     * and nothing counted against the name typed before, nor an event naming it.
     */
    @Test
    void aPasskeyCeremonyThatEndsInTheBrowserCountsNothingAgainstTheTypedName() throws Exception {
        VirtualAuthenticator device = Passkeys.attach(driver);
        User owner = signedOutUserWithPasskey();
        User typed = User.create();
        device.setUserVerified(false);

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            typed.failsThePassword(driver, wait);
            assertEquals(1, admin.bruteForceFailures(REALM, typed.id(), WAIT), "the wrong password was not counted");
            admin.send("DELETE", "/admin/realms/" + REALM + "/attack-detection/brute-force/users/" + typed.id(), null);

            passkeyRefusedOnTheOpaquePage();
            assertEquals(
                    0,
                    admin.bruteForceFailures(REALM, typed.id(), Duration.ofSeconds(5)),
                    "the ended ceremony was counted against the name typed before");
            List<JsonNode> ended = passkeyErrors();
            assertFalse(ended.isEmpty(), "no event for the ended ceremony");
            for (JsonNode event : ended) {
                assertFalse(
                        typed.id().equals(event.path("userId").asText())
                                || typed.name()
                                        .equals(event.path("details")
                                                .path("username")
                                                .asText()),
                        "a passkey error names the name typed before: " + event);
            }
        }
    }

    /**
     * Someone types another user's name and a wrong password, then signs in with their own
     * passkey: the login is the passkey owner's, and so is Keycloak's LOGIN event (user and
     * username), not the name typed before.
     */
    @Test
    void aPasskeyAfterAnotherTypedNameSignsInAndNamesItsOwner() throws Exception {
        Passkeys.attach(driver);
        User owner = signedOutUserWithPasskey();
        User typed = User.create();

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            typed.failsThePassword(driver, wait);
            Passkeys.signInOnOpaquePage(driver, wait);
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertEquals(owner.name(), tokens.id().getStringClaim("preferred_username"));
            JsonNode login = admin.get("/admin/realms/" + REALM + "/events?type=LOGIN&max=1&user=" + owner.id())
                    .get(0);
            assertEquals(owner.id(), login.path("userId").asText(), login.toString());
            assertEquals(owner.name(), login.path("details").path("username").asText(), login.toString());
        }
    }

    /**
     * Five wrong passwords lock the user for a while (the realm's brute-force protection), and the
     * user's passkey still signs in: as on Keycloak's own passkey step, which checks no temporary
     * lock.
     */
    @Test
    void aTemporarilyLockedUserStillSignsInWithAPasskey() throws Exception {
        Passkeys.attach(driver);
        User user = signedOutUserWithPasskey();
        String status = "/admin/realms/" + REALM + "/attack-detection/brute-force/users/" + user.id();

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            int failureFactor = admin.realm(REALM).path("failureFactor").asInt();
            for (int i = 1; i <= failureFactor; i++) {
                user.failsThePassword(driver, wait);
                int counted = i;
                wait.until(d -> admin.get(status).path("numFailures").asInt() >= counted);
            }
            wait.until(d -> admin.get(status).path("disabled").asBoolean());

            Passkeys.signInOnOpaquePage(driver, wait);
            RelyingParty.Tokens tokens = rp.finishTokens(driver, WAIT);
            assertEquals(user.name(), tokens.id().getStringClaim("preferred_username"));
            assertEquals(List.of("hwk"), tokens.id().getStringListClaim("amr"));
        }
    }

    // --- helpers

    /** A new user who registers a passkey on this browser's device (attached already) and signs out. */
    private User signedOutUserWithPasskey() throws Exception {
        User user = User.create();
        user.registerPasskeyAtFirstSignIn(driver, wait);
        signOut(user);
        return user;
    }

    /**
     * "Sign in with a passkey" on a device that refuses: the OPAQUE page again, with Keycloak's
     * passkey error and the button.
     */
    private void passkeyRefusedOnTheOpaquePage() {
        Passkeys.signInOnOpaquePage(driver, wait);
        wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
        wait.until(d -> OpaqueForms.visibleText(d).contains("Failed to authenticate by the Passkey."));
        assertTrue(driver.findElement(Passkeys.OPAQUE_PAGE_BUTTON).isDisplayed(), "the passkey is gone");
    }

    /** Ends the user's Keycloak sessions, as signing out does; the device keeps its passkeys. */
    private static void signOut(User user) {
        admin.send("POST", "/admin/realms/" + REALM + "/users/" + user.id() + "/logout", null);
    }

    /** The realm's LOGIN_ERROR events of passkey ceremonies that ended in the browser (error {@code not_allowed}). */
    private static List<JsonNode> passkeyErrors() {
        List<JsonNode> result = new ArrayList<>();
        for (JsonNode event : admin.get("/admin/realms/" + REALM + "/events?type=LOGIN_ERROR&max=200")) {
            if ("not_allowed".equals(event.path("error").asText())) {
                result.add(event);
            }
        }
        return result;
    }

    /** Runs {@code script} in every page this browser opens from now on, before the page's own scripts. */
    private void beforeEveryPage(String script) {
        ((ChromeDriver) driver).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }

    /** A test's user: created with a Keycloak password, which the first OPAQUE sign-in turns into an OPAQUE record. */
    private record User(String id, String name, String password) {
        static User create() {
            String name = TestNames.user("opk");
            String password = TestNames.password();
            return new User(admin.createUser(REALM, name, name + "@example.test", password, false), name, password);
        }

        /** The first sign-in asks for a passkey too: the OPAQUE form, then Keycloak's registration page. */
        void registerPasskeyAtFirstSignIn(WebDriver driver, WebDriverWait wait) throws Exception {
            try (CallbackServer callback = new CallbackServer()) {
                RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
                Passkeys.register(driver, rp, callback, () -> OpaqueForms.login(driver, wait, name, password), "Phone");
            }
            assertEquals(1, Passkeys.credentials(admin, REALM, id).size());
        }

        /** On the OPAQUE page: this user's name and a wrong password, refused. */
        void failsThePassword(WebDriver driver, WebDriverWait wait) {
            OpaqueForms.login(driver, wait, name, "not-" + password);
            OpaqueForms.awaitInvalid(driver, wait);
        }

        java.net.http.HttpResponse<String> switchTwoFactorOn() {
            ObjectNode user = (ObjectNode) admin.get("/admin/realms/" + REALM + "/users/" + id);
            user.with("attributes")
                    .set("two_factor_enabled", JSON.createArrayNode().add("true"));
            return admin.exchange("PUT", "/admin/realms/" + REALM + "/users/" + id, user);
        }
    }
}
