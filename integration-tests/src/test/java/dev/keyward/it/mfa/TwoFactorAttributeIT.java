package dev.keyward.it.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The {@code two_factor_enabled} attribute the export declares in the realm's user profile: users
 * see it and cannot change it (account console and account REST API); admins can, but only to
 * turn it on for a user with two usable local sign-in methods (validator
 * {@code keyward-two-usable-methods}), and turning it on ends the user's earlier sessions and
 * tokens. Own realm, imported from the export.
 */
@KeywardTest
class TwoFactorAttributeIT {
    private static final String REALM = "keyward-2fa-attr-it";
    private static final String CLI = "it-direct-grant";
    private static final String ATTRIBUTE = "two_factor_enabled";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void realm() {
        // an SMTP server is part of "email code is usable"; nothing is mailed here
        RealmExport.importAs(keycloak, admin, REALM, Map.of("smtpServer", Mailbox.unreachableSmtp()));
        // a client for Keycloak-password tokens, to call the account REST API as the user: the
        // export refuses password grants, so this client is bound to Keycloak's own direct grant flow
        admin.send(
                "POST",
                "/admin/realms/" + REALM + "/clients",
                Map.of(
                        "clientId",
                        CLI,
                        "publicClient",
                        true,
                        "standardFlowEnabled",
                        false,
                        "directAccessGrantsEnabled",
                        true,
                        "authenticationFlowBindingOverrides",
                        Map.of("direct_grant", admin.flowId(REALM, "direct grant"))));
    }

    /** One usable method (the email code; a Keycloak password is not one): the admin cannot turn two-factor on. */
    @Test
    void adminCannotTurnItOnWithOneUsableMethod() throws Exception {
        String username = TestNames.user("one");
        String userId = admin.createUser(REALM, username, username + "@example.test", TestNames.password());
        HttpResponse<String> refused = setByAdmin(userId, "true");
        assertEquals(400, refused.statusCode(), refused.body());
        JsonNode error = JSON.readTree(refused.body());
        assertEquals(ATTRIBUTE, error.path("field").asText(), refused.body());
        assertEquals(
                "keywardTwoFactorNeedsTwoMethods", error.path("errorMessage").asText(), refused.body());
        assertFalse(attributeOf(userId).isPresent(), "stored although refused");
        // "false" is always fine
        assertEquals(204, setByAdmin(userId, "false").statusCode());
        // anything else is not a value of this attribute
        assertEquals(400, setByAdmin(userId, "yes").statusCode());
    }

    /**
     * OPAQUE password plus email code: the user sees the setting read-only in the account console
     * and cannot switch it on through the account REST API (the permission refuses it: the
     * validator would not, with two methods); the admin can.
     */
    @Test
    void withTwoMethodsOnlyTheAdminCanTurnItOn() throws Exception {
        String username = TestNames.user("two");
        String email = username + "@example.test";
        String password = TestNames.password();
        String userId = admin.createUser(REALM, username, email, password);
        // a token from the Keycloak password, before the first browser login moves that password to OPAQUE
        String token = passwordGrant(username, password);

        WebDriver driver = browser.driver();
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        String personalInfo = keycloak.realmUri(REALM) + "/account/personal-info";
        driver.get(personalInfo);
        OpaqueForms.login(driver, wait, username, password);
        // back in the account console (it may land on its start page, which is personal info too)
        wait.until(d -> d.getCurrentUrl().startsWith(keycloak.realmUri(REALM) + "/account"));

        // the account console shows it, read-only
        driver.get(personalInfo);
        WebElement field = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
                "[name='" + ATTRIBUTE + "']," + " #" + ATTRIBUTE + ", [data-testid='" + ATTRIBUTE + "']")));
        String page = OpaqueForms.visibleText(driver);
        assertTrue(page.contains("Two-factor sign-in"), page);
        assertTrue(
                !field.isEnabled()
                        || "true".equals(field.getAttribute("readonly"))
                        || "true".equals(field.getAttribute("aria-disabled"))
                        || field.getAttribute("disabled") != null,
                "the account console lets the user edit " + ATTRIBUTE);

        // the account REST API refuses a change
        HttpResponse<String> account = account("GET", token, null);
        assertEquals(200, account.statusCode(), account.body());
        ObjectNode me = (ObjectNode) JSON.readTree(account.body());
        ArrayNode on = JSON.createArrayNode().add("true");
        ((ObjectNode) me.with("attributes")).set(ATTRIBUTE, on);
        HttpResponse<String> refused = account("POST", token, me);
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains(ATTRIBUTE), refused.body());
        assertFalse(attributeOf(userId).isPresent(), "the user switched two-factor on");

        assertEquals(204, setByAdmin(userId, "true").statusCode());
        assertEquals("true", attributeOf(userId).orElseThrow());

        // now the address is one of the two methods: it cannot change (it would start unverified)
        ObjectNode user = (ObjectNode) admin.get("/admin/realms/" + REALM + "/users/" + userId);
        user.put("email", "new-" + email);
        HttpResponse<String> kept = admin.exchange("PUT", "/admin/realms/" + REALM + "/users/" + userId, user);
        assertEquals(400, kept.statusCode(), kept.body());
        assertEquals("email", JSON.readTree(kept.body()).path("field").asText(), kept.body());
        assertEquals(
                "keywardTwoFactorNeedsEmail",
                JSON.readTree(kept.body()).path("errorMessage").asText(),
                kept.body());
        assertEquals(
                email,
                admin.get("/admin/realms/" + REALM + "/users/" + userId)
                        .path("email")
                        .asText());
        // off again, the address is the user's to change
        assertEquals(204, setByAdmin(userId, "false").statusCode());
        user = (ObjectNode) admin.get("/admin/realms/" + REALM + "/users/" + userId);
        user.put("email", "new-" + email);
        assertEquals(
                204,
                admin.exchange("PUT", "/admin/realms/" + REALM + "/users/" + userId, user)
                        .statusCode());
    }

    /**
     * Switching two-factor on ends what single-factor logins left behind: the user's sessions are
     * gone and a refresh token from before fails with invalid_grant.
     */
    @Test
    void turningItOnRevokesEarlierSessionsAndTokens() throws Exception {
        String username = TestNames.user("rev");
        String password = TestNames.password();
        String userId = admin.createUser(REALM, username, username + "@example.test", password);
        String refreshToken = tokens(username, password).path("refresh_token").asText();

        WebDriver driver = browser.driver();
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        driver.get(keycloak.realmUri(REALM) + "/account/personal-info");
        OpaqueForms.login(driver, wait, username, password);
        // the console has its tokens once it shows the profile (its code exchange is done)
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[name='" + ATTRIBUTE + "'], #" + ATTRIBUTE + ", [data-testid='" + ATTRIBUTE + "']")));
        // before: the refresh token works, and the user has two sessions (direct grant, browser)
        refreshToken = refresh(refreshToken).path("refresh_token").asText();
        assertEquals(
                2,
                admin.get("/admin/realms/" + REALM + "/users/" + userId + "/sessions")
                        .size());

        assertEquals(204, setByAdmin(userId, "true").statusCode());

        assertEquals(
                0,
                admin.get("/admin/realms/" + REALM + "/users/" + userId + "/sessions")
                        .size(),
                "sessions left");
        HttpResponse<String> refused = refreshResponse(refreshToken);
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals(
                "invalid_grant", JSON.readTree(refused.body()).path("error").asText(), refused.body());
        // and the browser has to sign in again
        driver.get(keycloak.realmUri(REALM) + "/account/personal-info");
        wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
    }

    /**
     * A login in flight when two-factor is switched on: its code, issued before, cannot be
     * exchanged after, and the browser's next authorization request has to sign in again.
     */
    @Test
    void aLoginInFlightCannotCompleteOnceItIsSwitchedOn() throws Exception {
        String username = TestNames.user("flight");
        String password = TestNames.password();
        String userId = admin.createUser(REALM, username, username + "@example.test", password);
        WebDriver driver = browser.driver();
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, RealmImportIT.CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, username, password);
            rp.finish(driver, WAIT);
        }
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, RealmImportIT.CLIENT, callback);
            driver.get(rp.authorizationUri().toString()); // SSO: straight back with a code
            callback.awaitRedirect(WAIT);
            assertEquals(204, setByAdmin(userId, "true").statusCode());
            com.nimbusds.oauth2.sdk.TokenResponse late = rp.exchange(WAIT);
            assertFalse(late.indicatesSuccess(), "a code from before the switch was exchanged");
            assertEquals(
                    "invalid_grant", late.toErrorResponse().getErrorObject().getCode());
        }
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, RealmImportIT.CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            assertEquals(
                    0,
                    admin.get("/admin/realms/" + REALM + "/users/" + userId + "/sessions")
                            .size(),
                    "signed in without a password");
        }
    }

    // --- helpers

    private static HttpResponse<String> setByAdmin(String userId, String value) throws Exception {
        ObjectNode user = (ObjectNode) admin.get("/admin/realms/" + REALM + "/users/" + userId);
        user.with("attributes").set(ATTRIBUTE, JSON.createArrayNode().add(value));
        return admin.exchange("PUT", "/admin/realms/" + REALM + "/users/" + userId, user);
    }

    private static java.util.Optional<String> attributeOf(String userId) {
        JsonNode values = admin.get("/admin/realms/" + REALM + "/users/" + userId)
                .path("attributes")
                .path(ATTRIBUTE);
        return values.isArray() && values.size() > 0
                ? java.util.Optional.of(values.get(0).asText())
                : java.util.Optional.empty();
    }

    private static String passwordGrant(String username, String password) throws Exception {
        return tokens(username, password).path("access_token").asText();
    }

    /** A direct grant with the user's Keycloak password: access and refresh token. */
    private static JsonNode tokens(String username, String password) throws Exception {
        HttpResponse<String> response = tokenEndpoint(
                "grant_type=password&client_id=" + CLI + "&username=" + enc(username) + "&password=" + enc(password));
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode refresh(String refreshToken) throws Exception {
        HttpResponse<String> response = refreshResponse(refreshToken);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> refreshResponse(String refreshToken) throws Exception {
        return tokenEndpoint("grant_type=refresh_token&client_id=" + CLI + "&refresh_token=" + enc(refreshToken));
    }

    private static HttpResponse<String> tokenEndpoint(String form) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(keycloak.realmUri(REALM) + "/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> account(String method, String token, JsonNode body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(keycloak.realmUri(REALM) + "/account/"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(
                request.method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
