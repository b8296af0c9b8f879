package dev.keyward.it.realm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.BrokerRealms;
import dev.keyward.it.harness.BrowserExtension;
import dev.keyward.it.harness.CallbackServer;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import dev.keyward.it.harness.Mailbox;
import dev.keyward.it.harness.OpaqueForms;
import dev.keyward.it.harness.RelyingParty;
import dev.keyward.it.harness.TestNames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Sign-in through the export's external identity provider {@code upstream}: both realm files
 * imported under names of their own, the provider's URLs and the broker client's redirect URI
 * pointed at this Keycloak, and the client secret set through the admin API (a new one generated
 * by the upstream realm, then given to the provider). GreenMail is the main realm's SMTP server.
 * What is checked is what the user sees in Chromium and what the tokens and the admin API say:
 * a federated login never meets local two-factor and its {@code acr} is {@code federated}; the
 * provider must have verified the email address; an existing account is linked only through a
 * link sent to its address.
 */
@KeywardTest
public class FederatedLoginIT {
    private static final String REALM = "keyward-idp-it";
    private static final String UPSTREAM = "keyward-idp-upstream-it";
    private static final String ALIAS = BrokerRealms.ALIAS;
    private static final String CLIENT = RealmImportIT.CLIENT;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final By IDP_BUTTON = By.id("social-" + ALIAS);
    private static final Pattern ACTION_LINK = Pattern.compile("https?://\\S+/login-actions/action-token\\?\\S+");

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    private WebDriver driver;
    private WebDriverWait wait;

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs, this class's mailbox
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static Mailbox mailbox;

    @BeforeEach
    void browser() {
        driver = browser.driver();
        wait = new WebDriverWait(driver, WAIT);
    }

    @BeforeAll
    static void realms() {

        BrokerRealms.create(
                keycloak,
                admin,
                REALM,
                UPSTREAM,
                Map.of("smtpServer", mailbox.realmSmtp(), "quickLoginCheckMilliSeconds", 1));
    }

    /**
     * (a) A new user: the Keyward login page's "Keyward upstream" button, the upstream realm's
     * login, and back at the relying party with tokens whose acr is {@code federated}. The local
     * account exists now, linked, with the provider's verified address and no credential. A
     * second sign-in in the same browser (SSO) is {@code federated} too.
     */
    @Test
    void newUserSignsInThroughTheProviderAndTheAcrSaysFederated() throws Exception {
        String name = TestNames.user("ada");
        String email = name + "@example.test";
        String password = TestNames.password();
        String upstreamId = upstreamUser(name, email, true, password);

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            assertEquals(
                    "Keyward upstream",
                    wait.until(ExpectedConditions.visibilityOfElementLocated(IDP_BUTTON))
                            .getText()
                            .trim());
            driver.findElement(IDP_BUTTON).click();
            OpaqueForms.keycloakPasswordLogin(driver, wait, name, password);
            IDTokenClaimsSet claims = rp.finish(driver, WAIT);
            assertEquals("federated", claims.getACR().getValue());
            assertEquals("upstream." + name, claims.getStringClaim("preferred_username"));
            assertEquals(email, claims.getStringClaim("email"));
        }

        JsonNode user = onlyUser("email=" + enc(email));
        assertEquals("upstream." + name, user.get("username").asText());
        assertTrue(user.get("emailVerified").asBoolean(), "the provider verified the address and is trusted");
        assertEquals("Test", user.path("firstName").asText());
        JsonNode links =
                admin.get("/admin/realms/" + REALM + "/users/" + user.get("id").asText() + "/federated-identity");
        assertEquals(1, links.size(), links::toString);
        assertEquals(ALIAS, links.get(0).get("identityProvider").asText());
        assertEquals(upstreamId, links.get(0).get("userId").asText());
        assertEquals(name, links.get(0).get("userName").asText());
        assertEquals(
                0,
                admin.get("/admin/realms/" + REALM + "/users/" + user.get("id").asText() + "/credentials")
                        .size(),
                "a federated user got a local credential");

        // the same browser again: the SSO cookie signs in without a page, still federated
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            IDTokenClaimsSet claims = rp.finish(driver, WAIT);
            assertEquals("federated", claims.getACR().getValue());
            assertEquals("upstream." + name, claims.getStringClaim("preferred_username"));
        }
    }

    /**
     * (b) A local user with two-factor sign-in on (OPAQUE password and email code) whose account
     * is linked to an upstream account: signing in through the provider ends at the relying party
     * with no local page in between (the test does nothing after the upstream login) and no code
     * mailed, acr {@code federated}. The same user's local password still leads to the second factor.
     */
    @Test
    void twoFactorUserLinkedToTheProviderSkipsLocalTwoFactor() throws Exception {
        String name = TestNames.user("bob");
        String email = name + "@example.test";
        String password = TestNames.password();
        String userId = admin.createUser(REALM, name, email, password);
        // the first browser login moves the Keycloak password to OPAQUE: with the email code, two usable methods
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, name, password);
            assertEquals(name, rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
        admin.enableTwoFactor(REALM, userId);
        assertEquals(
                "true",
                admin.get("/admin/realms/" + REALM + "/users/" + userId)
                        .path("attributes")
                        .path("two_factor_enabled")
                        .path(0)
                        .asText());

        String upstreamName = TestNames.user("bob-up");
        String upstreamPassword = TestNames.password();
        String upstreamId = upstreamUser(upstreamName, upstreamName + "@example.test", true, upstreamPassword);
        admin.send(
                "POST",
                "/admin/realms/" + REALM + "/users/" + userId + "/federated-identity/" + ALIAS,
                Map.of("identityProvider", ALIAS, "userId", upstreamId, "userName", upstreamName));

        // no SSO session left from the password login (switching two-factor on ends them anyway)
        admin.send("POST", "/admin/realms/" + REALM + "/users/" + userId + "/logout", null);
        int mails = mailbox.to(email).size();
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(IDP_BUTTON))
                    .click();
            OpaqueForms.keycloakPasswordLogin(driver, wait, upstreamName, upstreamPassword);
            IDTokenClaimsSet claims = rp.finish(driver, WAIT);
            assertEquals("federated", claims.getACR().getValue());
            assertEquals(name, claims.getStringClaim("preferred_username"));
            assertEquals(userId, claims.getSubject().getValue());
        }
        assertEquals(mails, mailbox.to(email).size(), "an email code was sent during the federated login");

        // the local password, once the federated session is gone, still leads to the second factor
        admin.send("POST", "/admin/realms/" + REALM + "/users/" + userId + "/logout", null);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, name, password);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-email-code-form")));
        }
    }

    /** (c) The provider has not verified the user's address: a page says so, and no local account appears. */
    @Test
    void unverifiedEmailIsRefusedAndNoUserIsCreated() throws Exception {
        String name = TestNames.user("eve");
        String email = name + "@example.test";
        String password = TestNames.password();
        upstreamUser(name, email, false, password);

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(IDP_BUTTON))
                    .click();
            OpaqueForms.keycloakPasswordLogin(driver, wait, name, password);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-error-message")));
            assertEquals(
                    "Keyward upstream has not confirmed the email address of your account there, so you cannot"
                            + " sign in with it here. Confirm your email address at Keyward upstream, then try again.",
                    driver.findElement(By.cssSelector("#kc-error-message .instruction"))
                            .getText()
                            .trim());
            assertTrue(
                    driver.getCurrentUrl().startsWith(keycloak.realmUri(REALM).toString()), driver.getCurrentUrl());
        }
        assertEquals(
                0,
                admin.get("/admin/realms/" + REALM + "/users?exact=true&email=" + enc(email))
                        .size());
        assertEquals(
                0,
                admin.get("/admin/realms/" + REALM + "/users?exact=true&username=" + enc("upstream." + name))
                        .size());
    }

    /**
     * An existing account with the same address: the user confirms, Keycloak mails a link to that
     * account's address (no password form is ever shown), and opening it finishes the sign-in,
     * linked and {@code federated}.
     */
    @Test
    void existingAccountIsLinkedOnlyThroughItsEmail() throws Exception {
        String name = TestNames.user("carol");
        String email = name + "@example.test";
        String userId = admin.createUser(REALM, name, email, TestNames.password());
        String upstreamName = TestNames.user("carol-up");
        String upstreamPassword = TestNames.password();
        upstreamUser(upstreamName, email, true, upstreamPassword);

        int mails = mailbox.to(email).size();
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(IDP_BUTTON))
                    .click();
            OpaqueForms.keycloakPasswordLogin(driver, wait, upstreamName, upstreamPassword);

            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("linkAccount")));
            String page = OpaqueForms.visibleText(driver);
            assertTrue(page.contains("Account already exists"), page);
            assertTrue(page.contains("User with email " + email + " already exists."), page);
            assertTrue(driver.findElements(By.id("updateProfile")).isEmpty(), "review profile offered");
            assertTrue(
                    driver.findElements(By.cssSelector("input[type=password]")).isEmpty(), "a password field");
            driver.findElement(By.id("linkAccount")).click();

            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("instruction1")));
            assertTrue(
                    driver.findElement(By.id("instruction1")).getText().contains("has been sent to you"),
                    driver.findElement(By.id("instruction1")).getText());
            assertTrue(
                    driver.findElements(By.cssSelector("input[type=password]")).isEmpty(), "a password field");
            assertTrue(
                    admin.get("/admin/realms/" + REALM + "/users/" + userId + "/federated-identity")
                            .isEmpty(),
                    "linked before the email was confirmed");

            String text = Mailbox.plainText(mailbox.awaitNth(email, mails + 1, WAIT));
            Matcher link = ACTION_LINK.matcher(text);
            assertTrue(link.find(), text);
            driver.get(link.group());
            IDTokenClaimsSet claims = rp.finish(driver, WAIT);
            assertEquals("federated", claims.getACR().getValue());
            assertEquals(name, claims.getStringClaim("preferred_username"));
            assertEquals(userId, claims.getSubject().getValue());
        }
        JsonNode links = admin.get("/admin/realms/" + REALM + "/users/" + userId + "/federated-identity");
        assertEquals(1, links.size(), links::toString);
        assertEquals(upstreamName, links.get(0).get("userName").asText());
        assertEquals(
                0,
                admin.get("/admin/realms/" + REALM + "/users?exact=true&username=" + enc("upstream." + upstreamName))
                        .size(),
                "a second account was created");
    }

    // --- helpers

    private static String upstreamUser(String username, String email, boolean emailVerified, String password) {
        return BrokerRealms.upstreamUser(admin, UPSTREAM, username, email, emailVerified, password);
    }

    private static JsonNode onlyUser(String query) {
        JsonNode users = admin.get("/admin/realms/" + REALM + "/users?exact=true&" + query);
        assertEquals(1, users.size(), users::toString);
        assertFalse(users.get(0).path("id").asText().isEmpty());
        return users.get(0);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
