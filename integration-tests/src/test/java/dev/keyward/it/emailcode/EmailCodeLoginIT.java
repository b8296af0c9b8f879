package dev.keyward.it.emailcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.BrowserExtension;
import dev.keyward.it.harness.CallbackServer;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import dev.keyward.it.harness.LogScan;
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
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
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
 * The email-code factor ({@code keyward-email-code}) end to end: Chromium, the real Keycloak,
 * GreenMail as the realm's SMTP server; codes are read from the mails as a user would. Own realm
 * (the export under another name) with three flows built here through the admin API: the code as
 * the only factor, as the second factor after the OPAQUE password, and in reset-credentials.
 * Each test uses its own user, because the send limits are per user and last an hour. The last
 * test checks that no code that was mailed appears in the server log, the realm's events or any
 * page the browser was shown.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@KeywardTest
class EmailCodeLoginIT {
    private static final String REALM = "keyward-email-it";
    private static final String CLIENT = RealmImportIT.CLIENT;
    private static final String EMAIL_FIRST = "email-first";
    private static final String SECOND_FACTOR = "opaque-then-email";
    private static final String RESET = "reset-with-code";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final By IDENTIFY_FORM = By.id("kc-email-code-identify-form");
    private static final By CODE_FORM = By.id("kc-email-code-form");
    private static final By ALERT = By.cssSelector(".pf-v5-c-alert__title");
    private static final String INVALID = "Invalid code.";
    private static final String EXHAUSTED = "Too many wrong codes: this code no longer works. Ask for a new one.";
    // the code page's lines before any factor: the same for every name, which they do not repeat
    private static final String SENT_IF_EXISTS = "If an account exists for the username or email you entered and can"
            + " receive codes, we sent a code to its email address.";
    private static final String RESENT_IF_EXISTS = "If an account exists for the username or email you entered, we"
            + " sent it a new code. Earlier codes no longer work.";

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();
    /** This test's browser (BrowserExtension starts one before each test) and a wait on it. */
    private WebDriver driver;

    private WebDriverWait wait;

    /** Every code mailed during this class, and every page shown: the last test looks for the one in the other. */
    private static final List<String> CODES = Collections.synchronizedList(new ArrayList<>());

    private static final List<String> PAGES = Collections.synchronizedList(new ArrayList<>());

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs, this class's mailbox
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static Mailbox mailbox;
    private static Map<String, String> smtp;
    /** Authenticator config id of the email-code step in each flow. */
    private static final Map<String, String> CONFIG = new HashMap<>();

    @BeforeEach
    void browser() {
        driver = browser.driver();
        wait = new WebDriverWait(driver, WAIT);
    }

    @BeforeAll
    static void realm() {
        smtp = mailbox.realmSmtp();
        // quick-login lockout off: a browser types wrong codes faster than a person, and the lockout
        // test sets the failure count it checks itself
        RealmExport.importAs(
                keycloak,
                admin,
                REALM,
                Map.of(
                        "smtpServer",
                        smtp,
                        "eventsEnabled",
                        true,
                        "quickLoginCheckMilliSeconds",
                        1,
                        "failureFactor",
                        10));
        CONFIG.put(EMAIL_FIRST, flow(EMAIL_FIRST, List.of("keyward-email-code")));
        CONFIG.put(SECOND_FACTOR, flow(SECOND_FACTOR, List.of("keyward-opaque-login", "keyward-email-code")));
        CONFIG.put(
                RESET,
                flow(RESET, List.of("reset-credentials-choose-user", "keyward-email-code", "keyward-opaque-reset")));
        admin.updateRealm(REALM, Map.of("browserFlow", EMAIL_FIRST, "resetCredentialsFlow", RESET));
    }

    /** The code as the only factor: it asks who, mails a code, and the code from the mail signs in. Reloads send nothing. */
    @Test
    @Order(1)
    void passwordlessSignInWithTheCodeFromTheEmail() throws Exception {
        configure(EMAIL_FIRST, Map.of());
        String email = newUser("alice", true);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            int before = mailbox.count();
            driver.get(rp.authorizationUri().toString());
            String message = requestCode(driver, wait, email);
            assertEquals(SENT_IF_EXISTS, message);
            BrowserLoginIT.assertKeywardTheme(driver);
            MimeMessage mail = awaitMail(email, 1);
            assertEquals("Your sign-in code for Keyward demo", mail.getSubject());
            String text = Mailbox.plainText(mail);
            String code = codeIn(mail);
            assertTrue(text.contains("Use this code to sign in to Keyward demo:"), text);
            assertTrue(text.contains("expires in 10 minutes"), text);
            assertFalse(text.contains("IP address"), "request details are off by default: " + text);
            assertTrue(Mailbox.html(mail).contains(code), "HTML part without the code");
            browser.screenshot("email-code-page");

            // reload, back and forward: the same page, no second mail, the code still good
            String codePage = driver.getCurrentUrl();
            driver.get(codePage);
            wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
            seen(driver);
            driver.navigate().back();
            driver.navigate().forward();
            driver.get(codePage);
            wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
            seen(driver);
            // a first factor's mail leaves 100 to 300 ms after its page: give a wrong one time to arrive
            KeycloakServer.sleep(Duration.ofSeconds(2));
            assertEquals(before + 1, mailbox.count(), "reloading or going back sent another email");

            enterCode(driver, wait, code);
            assertEquals(username(email), rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
        JsonNode sent = lastEvent("SEND_VERIFY_EMAIL", email);
        assertEquals("sent", sent.path("details").path("email_code").asText(), sent.toString());
        JsonNode login = lastEvent("LOGIN", email);
        assertEquals("verified", login.path("details").path("email_code").asText(), login.toString());
    }

    /** A wrong code is refused, counted as a failed login, and does not kill the right one. */
    @Test
    @Order(2)
    void aWrongCodeIsRefusedAndCountedAndTheRightOneStillWorks() throws Exception {
        configure(EMAIL_FIRST, Map.of());
        String email = newUser("bob", true);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = start(callback);
            requestCode(driver, wait, username(email));
            String code = codeIn(awaitMail(email, 1));
            assertEquals(INVALID, enterCode(driver, wait, wrong(code)));
            awaitFailures(email, 1);
            JsonNode failed = lastEvent("LOGIN_ERROR", email);
            assertEquals("invalid_code", failed.path("error").asText(), failed.toString());
            assertEquals("invalid", failed.path("details").path("email_code").asText(), failed.toString());

            enterCode(driver, wait, code);
            assertEquals(username(email), rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
        // a whole successful login resets the count, as after a right password
        awaitFailures(email, 0);
    }

    /** After its wrong attempts a code is dead even when typed right; a resend brings a new one and kills the old. */
    @Test
    @Order(3)
    void afterItsAttemptsACodeIsDeadAndOnlyTheResentOneWorks() throws Exception {
        configure(EMAIL_FIRST, Map.of("maxAttempts", "3"));
        String email = newUser("carol", true);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = start(callback);
            requestCode(driver, wait, email);
            String first = codeIn(awaitMail(email, 1));
            assertEquals(INVALID, enterCode(driver, wait, wrong(first)));
            assertEquals(INVALID, enterCode(driver, wait, wrong(first)));
            assertEquals(EXHAUSTED, enterCode(driver, wait, wrong(first)));
            assertEquals(EXHAUSTED, enterCode(driver, wait, first), "a dead code came back to life");

            assertEquals(RESENT_IF_EXISTS, resend(driver, wait));
            String second = codeIn(awaitMail(email, 2));
            assertNotEquals(first, second);
            assertEquals(INVALID, enterCode(driver, wait, first), "the old code still works after a resend");
            enterCode(driver, wait, second);
            assertEquals(username(email), rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
    }

    /** A code signs in once: the next login mails a new one, and the used one is refused there. */
    @Test
    @Order(4)
    void aCodeWorksOnce() throws Exception {
        configure(EMAIL_FIRST, Map.of());
        String email = newUser("dave", true);
        String used;
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = start(callback);
            requestCode(driver, wait, email);
            used = codeIn(awaitMail(email, 1));
            enterCode(driver, wait, used);
            rp.finish(driver, WAIT);

            signOutLocally();
        }
        // the next login, with its own relying party (a callback server records one redirect)
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = start(callback);
            requestCode(driver, wait, email);
            String fresh = codeIn(awaitMail(email, 2));
            assertEquals(INVALID, enterCode(driver, wait, used));
            enterCode(driver, wait, fresh);
            assertEquals(username(email), rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
    }

    /**
     * The cooldown holds across logins for the name typed (it lives in Keycloak's cluster-wide
     * store, not in the login), but not from one name of an account to another: that would tell
     * that both name the same existing account. The hourly cap is the account's, whatever name is
     * typed, and the latest code keeps working when it is reached.
     */
    @Test
    @Order(5)
    void cooldownPerTypedNameAndHourlyCapPerAccountHoldAcrossLogins() throws Exception {
        configure(EMAIL_FIRST, Map.of("resendCooldownSeconds", "300", "maxSendsPerHour", "2"));
        String email = newUser("frank", true);
        String cooldown = "A code was sent less than 300 seconds ago. Please wait a moment, then ask again.";
        try (CallbackServer callback = new CallbackServer()) {
            start(callback);
            requestCode(driver, wait, email);
            awaitMail(email, 1);
            assertEquals(cooldown, resend(driver, wait));

            // a new login (other cookies, other authentication session), the same name: still within the cooldown
            signOutLocally();
            start(callback);
            assertEquals(cooldown, requestCode(driver, wait, email));
            assertEquals("No code was sent for this sign-in. Ask for a new one.", enterCode(driver, wait, "123456"));
        }
        try (CallbackServer callback = new CallbackServer()) {
            // the username instead of the address: its own cooldown, the account's second mail of the hour
            RelyingParty rp = start(callback);
            assertTrue(requestCode(driver, wait, username(email)).startsWith("If an account exists for"));
            String latest = codeIn(awaitMail(email, 2));
            assertEquals(cooldown, resend(driver, wait));

            configure(EMAIL_FIRST, Map.of("maxSendsPerHour", "2"));
            assertEquals("No more than 2 codes can be sent in an hour. Please try again later.", resend(driver, wait));
            KeycloakServer.sleep(Duration.ofSeconds(2));
            assertEquals(2, mailbox.to(email).size(), "a mail beyond the hourly cap");
            JsonNode refused = lastEvent("SEND_VERIFY_EMAIL_ERROR", email);
            assertEquals("slow_down", refused.path("error").asText(), refused.toString());
            assertEquals("hourly_cap", refused.path("details").path("reason").asText(), refused.toString());

            enterCode(driver, wait, latest);
            assertEquals(username(email), rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
    }

    /**
     * An unknown name, a user without a verified address and a user with one get the same page and
     * message (which does not repeat the typed name); only the last gets a mail, and codes typed for
     * the others are refused like wrong ones.
     */
    @Test
    @Order(6)
    void unknownNamesAndUnverifiedAddressesLookLikeRealAccounts() throws Exception {
        configure(EMAIL_FIRST, Map.of());
        String unknown = TestNames.user("nobody") + "@example.test";
        String unverified = newUser("gina", false);
        String known = newUser("henry", true);
        int before = mailbox.count();
        try (CallbackServer callback = new CallbackServer()) {
            Map<String, String> shapes = new HashMap<>();
            for (String name : List.of(unknown, unverified, known)) {
                signOutLocally();
                start(callback);
                String message = requestCode(driver, wait, name);
                assertEquals(SENT_IF_EXISTS, message);
                shapes.put(name, pageShape(driver));
                if (!name.equals(known)) {
                    assertEquals(INVALID, enterCode(driver, wait, "314159"));
                    assertEquals(RESENT_IF_EXISTS, resend(driver, wait));
                }
            }
            assertEquals(shapes.get(known), shapes.get(unknown));
            assertEquals(shapes.get(known), shapes.get(unverified));
        }
        awaitMail(known, 1);
        KeycloakServer.sleep(Duration.ofSeconds(2));
        assertEquals(before + 1, mailbox.count(), "mail for an unknown name or an unverified address");
        assertEquals(
                "user_not_found",
                lastEventWithUsername("SEND_VERIFY_EMAIL_ERROR", unknown)
                        .path("error")
                        .asText());
        assertEquals(
                "invalid_email",
                lastEvent("SEND_VERIFY_EMAIL_ERROR", unverified).path("error").asText());
    }

    /** With markEmailVerified, a first-factor code goes to an unverified address, and using it verifies the address. */
    @Test
    @Order(7)
    void markEmailVerifiedSendsToUnverifiedAddressesAndVerifiesThem() throws Exception {
        configure(EMAIL_FIRST, Map.of("markEmailVerified", "true", "requestDetailsInEmail", "true"));
        String email = newUser("ivy", false);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = start(callback);
            requestCode(driver, wait, email);
            MimeMessage mail = awaitMail(email, 1);
            String text = Mailbox.plainText(mail);
            assertTrue(
                    Pattern.compile(
                                    "It was requested at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC from the IP address \\S+\\.")
                            .matcher(text)
                            .find(),
                    text);
            enterCode(driver, wait, codeIn(mail));
            rp.finish(driver, WAIT);
        }
        assertTrue(user(email).path("emailVerified").asBoolean(), "address not verified");
        assertEquals(
                "verified",
                lastEvent("VERIFY_EMAIL", email)
                        .path("details")
                        .path("email_code")
                        .asText());
    }

    /**
     * SMTP down. As a first factor the page is the one every name gets (a failure shown there would
     * say that the account exists), the failure is an event, and the cooldown stays, as a decoy's
     * does (giving it back would let a resend tell the two apart); once SMTP is back and the
     * cooldown over, a resend works. As a second factor, where the password has already said who
     * this is, the page says that the mail could not be sent.
     */
    @Test
    @Order(8)
    void smtpDownIsAnEventAsAFirstFactorAndAClearMessageAsASecond() throws Exception {
        configure(EMAIL_FIRST, Map.of("resendCooldownSeconds", "60"));
        String email = newUser("jack", true);
        Map<String, Object> down = Map.of("smtpServer", Mailbox.unreachableSmtp());
        admin.updateRealm(REALM, down);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = start(callback);
            assertTrue(requestCode(driver, wait, email).startsWith("If an account exists for"));
            JsonNode failed = lastEvent("SEND_VERIFY_EMAIL_ERROR", email);
            assertEquals("email_send_failed", failed.path("error").asText(), failed.toString());

            admin.updateRealm(REALM, Map.of("smtpServer", smtp));
            assertTrue(resend(driver, wait).startsWith("A code was sent less than 60 seconds ago"));
            configure(EMAIL_FIRST, Map.of());
            assertTrue(resend(driver, wait).startsWith("If an account exists for"));
            enterCode(driver, wait, codeIn(awaitMail(email, 1)));
            assertEquals(username(email), rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        } finally {
            admin.updateRealm(REALM, Map.of("smtpServer", smtp));
        }

        configure(SECOND_FACTOR, Map.of());
        String username = TestNames.user("kate");
        String password = TestNames.password();
        admin.createUser(REALM, username, username + "@example.test", password);
        admin.updateRealm(REALM, Map.of("browserFlow", SECOND_FACTOR));
        admin.updateRealm(REALM, down);
        try (CallbackServer callback = new CallbackServer()) {
            start(callback);
            OpaqueForms.login(driver, wait, username, password);
            wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
            assertEquals("We could not send the email right now. Please try again later.", alert(driver));
            seen(driver);
            assertEquals(
                    "email_send_failed",
                    lastEvent("SEND_VERIFY_EMAIL_ERROR", username + "@example.test")
                            .path("error")
                            .asText());
        } finally {
            admin.updateRealm(REALM, Map.of("smtpServer", smtp));
            admin.updateRealm(REALM, Map.of("browserFlow", EMAIL_FIRST));
        }
    }

    /** Second factor after the OPAQUE password: the page names the (masked) address the code went to. */
    @Test
    @Order(9)
    void secondFactorAfterTheOpaquePassword() throws Exception {
        configure(SECOND_FACTOR, Map.of());
        String username = TestNames.user("kim");
        String email = username + "@example.test";
        String password = TestNames.password();
        admin.createUser(REALM, username, email, password);
        admin.updateRealm(REALM, Map.of("browserFlow", SECOND_FACTOR));
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = start(callback);
            // her Keycloak password is moved to OPAQUE on the way (legacy migration)
            OpaqueForms.login(driver, wait, username, password);
            wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
            assertEquals("We sent a code to k\u2022\u2022\u2022@example.test.", alert(driver));
            seen(driver);
            assertEquals(INVALID, enterCode(driver, wait, "000000"));
            enterCode(driver, wait, codeIn(awaitMail(email, 1)));
            assertEquals(username, rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        } finally {
            admin.updateRealm(REALM, Map.of("browserFlow", EMAIL_FIRST));
        }
        JsonNode credentials = admin.get(
                "/admin/realms/" + REALM + "/users/" + user(email).path("id").asText() + "/credentials");
        assertEquals("keyward-opaque", credentials.get(0).path("type").asText(), credentials.toString());
    }

    /**
     * "Forgot password?" with the code instead of a link: choose user, the code from the mail, a
     * new OPAQUE password, signed in. An unknown name gets the same code page and no mail.
     */
    @Test
    @Order(10)
    void resetCredentialsWithACodeInsteadOfALink() throws Exception {
        configure(RESET, Map.of());
        String email = newUser("mia", true);
        String unknown = TestNames.user("nobody");
        String newPassword = "New-" + KeycloakServer.randomSecret();
        admin.updateRealm(REALM, Map.of("browserFlow", "keyward browser"));
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            int before = mailbox.count();
            driver.get(rp.authorizationUri().toString());
            assertEquals(SENT_IF_EXISTS, forgotPassword(driver, wait, unknown));
            assertEquals(INVALID, enterCode(driver, wait, "271828"));

            signOutLocally();
            driver.get(rp.authorizationUri().toString());
            assertEquals(SENT_IF_EXISTS, forgotPassword(driver, wait, username(email)));
            enterCode(driver, wait, codeIn(awaitMail(email, 1)));
            assertEquals(before + 1, mailbox.count(), "mail for an unknown name");
            OpaqueForms.register(driver, wait, newPassword);
            assertEquals(username(email), rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        } finally {
            admin.updateRealm(REALM, Map.of("browserFlow", EMAIL_FIRST));
        }
        JsonNode credentials = admin.get(
                "/admin/realms/" + REALM + "/users/" + user(email).path("id").asText() + "/credentials");
        assertEquals(1, credentials.size(), credentials.toString());
        assertEquals("keyward-opaque", credentials.get(0).path("type").asText());
    }

    /** The account console lists "Email code" as a way to sign in for a user with a verified address. */
    @Test
    @Order(11)
    void theAccountConsoleListsEmailCode() throws Exception {
        configure(EMAIL_FIRST, Map.of());
        String email = newUser("nora", true);
        String signingIn = keycloak.realmUri(REALM) + "/account/account-security/signing-in";
        driver.get(signingIn);
        requestCode(driver, wait, email);
        enterCode(driver, wait, codeIn(awaitMail(email, 1)));
        wait.until(d -> d.getCurrentUrl().startsWith(signingIn));
        wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid='keyward-email-code/credential-list']")));
        String page = OpaqueForms.visibleText(driver);
        assertTrue(page.contains("Email code"), page);
        assertTrue(page.contains("Sign in with a one-time code sent to your verified email address."), page);
    }

    /**
     * Wrong codes lock the account exactly like wrong passwords: after the realm's failure count
     * the user is temporarily disabled and even the right code is refused.
     */
    @Test
    @Order(12)
    void wrongCodesLockTheAccountLikeWrongPasswords() throws Exception {
        configure(EMAIL_FIRST, Map.of("maxAttempts", "10"));
        admin.updateRealm(REALM, Map.of("failureFactor", 3));
        String email = newUser("lena", true);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = start(callback);
            requestCode(driver, wait, email);
            String code = codeIn(awaitMail(email, 1));
            for (int i = 0; i < 3; i++) {
                assertEquals(INVALID, enterCode(driver, wait, wrong(code)));
            }
            JsonNode status = bruteForce(email);
            assertEquals(3, status.path("numFailures").asInt(), status.toString());
            assertTrue(status.path("disabled").asBoolean(), "not locked: " + status);

            assertEquals(INVALID, enterCode(driver, wait, code), "a locked account takes its right code");
            assertThrows(
                    TimeoutException.class,
                    () -> callback.awaitRedirect(Duration.ofSeconds(2)),
                    "signed in while locked");
            JsonNode refused = lastEvent("LOGIN_ERROR", email);
            assertEquals("user_temporarily_disabled", refused.path("error").asText(), refused.toString());
        } finally {
            admin.updateRealm(REALM, Map.of("failureFactor", 10));
        }
    }

    /**
     * As a second factor, wrong codes are {@code otp} failures and count against the realm's
     * separate limit for second-factor failures, which disables the account for good when
     * passed. As the first factor they count like wrong passwords but not against that limit:
     * otherwise anyone who knows a username could disable the account.
     */
    @Test
    @Order(13)
    void onlySecondFactorCodesCountAgainstTheSecondFactorFailureLimit() throws Exception {
        configure(EMAIL_FIRST, Map.of("maxAttempts", "10"));
        configure(SECOND_FACTOR, Map.of("maxAttempts", "10"));
        admin.updateRealm(REALM, Map.of("maxSecondaryAuthFailures", 2));
        String username = TestNames.user("olga");
        String email = username + "@example.test";
        String password = TestNames.password();
        admin.createUser(REALM, username, email, password);
        try {
            try (CallbackServer callback = new CallbackServer()) {
                start(callback);
                requestCode(driver, wait, email);
                String code = codeIn(awaitMail(email, 1));
                for (int i = 0; i < 3; i++) {
                    assertEquals(INVALID, enterCode(driver, wait, wrong(code)));
                }
                awaitFailures(email, 3);
                assertTrue(user(email).path("enabled").asBoolean(), "first-factor codes disabled the account");
            }
            admin.updateRealm(REALM, Map.of("browserFlow", SECOND_FACTOR));
            try (CallbackServer callback = new CallbackServer()) {
                start(callback);
                OpaqueForms.login(driver, wait, username, password);
                wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
                String code = codeIn(awaitMail(email, 2));
                for (int i = 0; i < 3; i++) {
                    assertEquals(INVALID, enterCode(driver, wait, wrong(code)));
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (user(email).path("enabled").asBoolean()) {
                    assertTrue(
                            System.nanoTime() < deadline,
                            "3 wrong second-factor codes with a limit of 2 left the account enabled");
                    KeycloakServer.sleep(Duration.ofMillis(200));
                }
                // Keycloak itself stops a login whose user got disabled
                assertEquals(null, enterCode(driver, wait, code));
                assertTrue(
                        OpaqueForms.visibleText(driver).contains("Account is disabled"),
                        OpaqueForms.visibleText(driver));
                assertThrows(
                        TimeoutException.class,
                        () -> callback.awaitRedirect(Duration.ofSeconds(2)),
                        "a disabled account signed in");
            }
        } finally {
            admin.updateRealm(REALM, Map.of("maxSecondaryAuthFailures", 0, "browserFlow", EMAIL_FIRST));
        }
    }

    /** As a second factor there is nothing to hide: a user without a verified address is told so, and no mail goes out. */
    @Test
    @Order(15)
    void aSecondFactorUserWithoutAVerifiedAddressIsToldSo() throws Exception {
        configure(SECOND_FACTOR, Map.of());
        String username = TestNames.user("pia");
        String email = username + "@example.test";
        String password = TestNames.password();
        admin.send(
                "POST",
                "/admin/realms/" + REALM + "/users",
                Map.of(
                        "username",
                        username,
                        "email",
                        email,
                        "emailVerified",
                        false,
                        "enabled",
                        true,
                        "firstName",
                        "Test",
                        "lastName",
                        "pia",
                        "credentials",
                        List.of(Map.of("type", "password", "value", password, "temporary", false))));
        admin.updateRealm(REALM, Map.of("browserFlow", SECOND_FACTOR));
        int before = mailbox.count();
        try (CallbackServer callback = new CallbackServer()) {
            start(callback);
            OpaqueForms.login(driver, wait, username, password);
            wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
            assertEquals(
                    "This account has no verified email address, so no code can be sent to it. Please sign in another way.",
                    seenAlert(driver));
            assertEquals("No code was sent for this sign-in. Ask for a new one.", enterCode(driver, wait, "123456"));
        } finally {
            admin.updateRealm(REALM, Map.of("browserFlow", EMAIL_FIRST));
        }
        KeycloakServer.sleep(Duration.ofSeconds(1));
        assertEquals(before, mailbox.count(), "a code went to an unverified address");
    }

    /** An expired code is refused whatever is typed; a resend brings a working one (the shortest lifetime, 60 s, is waited out). */
    @Test
    @Order(14)
    void anExpiredCodeIsRefused() throws Exception {
        configure(EMAIL_FIRST, Map.of("codeLifetimeSeconds", "60"));
        String email = newUser("erin", true);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = start(callback);
            requestCode(driver, wait, email);
            String code = codeIn(awaitMail(email, 1));
            KeycloakServer.sleep(Duration.ofSeconds(61));
            assertEquals("This code has expired. Ask for a new one.", enterCode(driver, wait, code));
            assertEquals(
                    "expired_code",
                    lastEvent("LOGIN_ERROR", email).path("error").asText());
            resend(driver, wait);
            enterCode(driver, wait, codeIn(awaitMail(email, 2)));
            assertEquals(username(email), rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
    }

    /** No code that was mailed during this class is in the server log, the realm's events, or a page the browser showed. */
    @Test
    @Order(99)
    void noCodeInTheLogTheEventsOrAnyPage() throws Exception {
        assertTrue(CODES.size() >= 10, "too few codes to check: " + CODES.size());
        String log = Files.readString(keycloak.logFile());
        String events = admin.send("GET", "/admin/realms/" + REALM + "/events?max=100000", null)
                .body();
        String adminEvents = admin.send("GET", "/admin/realms/" + REALM + "/admin-events?max=100000", null)
                .body();
        assertTrue(events.contains("email_code"), "no email-code events to search");
        for (String code : CODES) {
            Pattern whole = LogScan.wholeCode(code);
            assertFalse(whole.matcher(log).find(), "a code is in the server log");
            assertFalse(whole.matcher(events).find(), "a code is in the events");
            assertFalse(whole.matcher(adminEvents).find(), "a code is in the admin events");
            for (String page : PAGES) {
                assertFalse(whole.matcher(page).find(), "a code is in a page");
            }
        }
    }

    // --- pages

    /** Starts a login at the realm's authorization endpoint (the first page of the browser flow); returns its relying party. */
    private RelyingParty start(CallbackServer callback) throws Exception {
        RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
        driver.get(rp.authorizationUri().toString());
        return rp;
    }

    /** On the identify page (first factor): types {@code name}, asks for a code; returns the code page's message. */
    private static String requestCode(WebDriver driver, WebDriverWait wait, String name) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(IDENTIFY_FORM));
        seen(driver);
        driver.findElement(By.id("username")).sendKeys(name);
        driver.findElement(By.id("kc-email-code-send")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
        return seenAlert(driver);
    }

    /**
     * Types {@code code} and submits; returns the message of the page that follows, or null when
     * the login went on (no code page any more).
     */
    private static String enterCode(WebDriver driver, WebDriverWait wait, String code) {
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
        WebElement input = driver.findElement(By.id("code"));
        input.clear();
        input.sendKeys(code);
        driver.findElement(By.id("kc-email-code-verify")).click();
        wait.until(ExpectedConditions.stalenessOf(form));
        if (driver.findElements(CODE_FORM).isEmpty()) {
            return null;
        }
        return seenAlert(driver);
    }

    private static String resend(WebDriver driver, WebDriverWait wait) {
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
        driver.findElement(By.id("kc-email-code-resend")).click();
        wait.until(ExpectedConditions.stalenessOf(form));
        wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
        return seenAlert(driver);
    }

    /** From the OPAQUE login page: "Forgot Password?", choose user; returns the code page's message. */
    private static String forgotPassword(WebDriver driver, WebDriverWait wait, String name) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
        driver.findElement(By.id("kc-forgot-password")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-reset-password-form")));
        driver.findElement(By.id("username")).sendKeys(name);
        driver.findElement(By.id("kc-form-buttons")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(CODE_FORM));
        return seenAlert(driver);
    }

    /** Forgets the realm's cookies, so the next authorization request starts a new login. */
    private void signOutLocally() {
        driver.get(keycloak.realmUri(REALM) + "/.well-known/openid-configuration");
        driver.manage().deleteAllCookies();
    }

    private static String seenAlert(WebDriver driver) {
        seen(driver);
        return alert(driver);
    }

    private static String alert(WebDriver driver) {
        List<WebElement> alerts = driver.findElements(ALERT);
        return alerts.isEmpty() ? "" : alerts.get(0).getText().trim();
    }

    private static void seen(WebDriver driver) {
        PAGES.add(driver.getPageSource());
    }

    /** What distinguishes two pages for a user: the page id, the heading and the form fields and buttons shown. */
    private static String pageShape(WebDriver driver) {
        StringBuilder shape = new StringBuilder(
                        URI.create(driver.getCurrentUrl()).getPath())
                .append(' ')
                .append(driver.findElement(By.id("kc-page-title")).getText());
        for (WebElement field : driver.findElements(By.cssSelector("form input, form button"))) {
            shape.append(' ')
                    .append(field.getAttribute("id"))
                    .append('=')
                    .append(field.getAttribute("type"))
                    .append(field.isDisplayed() ? "" : "(hidden)");
        }
        return shape.toString();
    }

    // --- mail, users, events

    /** Waits for the {@code n}th mail to {@code address}; returns it. */
    private static MimeMessage awaitMail(String address, int n) throws Exception {
        return mailbox.awaitNth(address, n, WAIT);
    }

    /** The code in a mail, remembered for {@link #noCodeInTheLogTheEventsOrAnyPage}. */
    private static String codeIn(MimeMessage mail) throws Exception {
        String code = Mailbox.emailCode(mail);
        CODES.add(code);
        return code;
    }

    /** The same length and alphabet, one digit changed. */
    private static String wrong(String code) {
        char last = code.charAt(code.length() - 1);
        return code.substring(0, code.length() - 1) + (last == '9' ? '0' : (char) (last + 1));
    }

    /** A user with an email and a Keycloak password (never used here); returns the address. */
    private static String newUser(String name, boolean emailVerified) {
        String username = TestNames.user(name);
        String email = username + "@example.test";
        admin.send(
                "POST",
                "/admin/realms/" + REALM + "/users",
                Map.of(
                        "username",
                        username,
                        "email",
                        email,
                        "emailVerified",
                        emailVerified,
                        "enabled",
                        true,
                        "firstName",
                        "Test",
                        "lastName",
                        name));
        return email;
    }

    private static String username(String email) {
        return email.substring(0, email.indexOf('@'));
    }

    private static JsonNode user(String email) {
        return admin.get("/admin/realms/" + REALM + "/users?exact=true&email=" + email)
                .get(0);
    }

    private static JsonNode bruteForce(String email) {
        return admin.get("/admin/realms/" + REALM + "/attack-detection/brute-force/users/"
                + user(email).path("id").asText());
    }

    /** Keycloak counts failures and resets the count in the background: wait for {@code n}. */
    private static void awaitFailures(String email, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (bruteForce(email).path("numFailures").asInt() != n) {
            assertTrue(System.nanoTime() < deadline, "failure count not " + n + ": " + bruteForce(email));
            KeycloakServer.sleep(Duration.ofMillis(200));
        }
    }

    /**
     * The newest event of {@code type} for the user with {@code email}, waiting up to 10 s for the
     * first: a first factor's mail, and its event, leave after the page.
     */
    private static JsonNode lastEvent(String type, String email) {
        String userId = user(email).path("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode events;
        while ((events = admin.get("/admin/realms/" + REALM + "/events?type=" + type + "&user=" + userId + "&max=1"))
                        .isEmpty()
                && System.nanoTime() < deadline) {
            KeycloakServer.sleep(Duration.ofMillis(200));
        }
        assertEquals(1, events.size(), "no " + type + " event for " + email);
        return events.get(0);
    }

    /** The newest event of {@code type} whose username detail is {@code name} (for names that are no user). */
    private static JsonNode lastEventWithUsername(String type, String name) {
        for (JsonNode event : admin.get("/admin/realms/" + REALM + "/events?type=" + type + "&max=200")) {
            if (name.equals(event.path("details").path("username").asText())) {
                return event;
            }
        }
        throw new AssertionError("no " + type + " event for " + name);
    }

    /** Replaces the email-code step's settings in {@code flow} with the test defaults plus {@code settings}. */
    private static void configure(String flow, Map<String, String> settings) {
        Map<String, String> config = new HashMap<>();
        // most tests send more than once a minute
        config.put("resendCooldownSeconds", "0");
        config.put("maxSendsPerHour", "20");
        config.putAll(settings);
        admin.updateExecutionConfig(REALM, CONFIG.get(flow), flow + "-code", config);
    }

    /** A top-level flow of REQUIRED steps; returns the config id of its email-code step (OPAQUE gets legacy migration). */
    private static String flow(String alias, List<String> providers) {
        Map<String, String> executions = admin.createRequiredFlow(REALM, alias, providers);
        if (executions.containsKey("keyward-opaque-login")) {
            admin.configureExecution(
                    REALM, executions.get("keyward-opaque-login"), alias + "-opaque", OpaqueRealm.migration(true));
        }
        return admin.configureExecution(REALM, executions.get("keyward-email-code"), alias + "-code", Map.of());
    }
}
