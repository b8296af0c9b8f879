package dev.keyward.it.realm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.BrowserExtension;
import dev.keyward.it.harness.CallbackServer;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import dev.keyward.it.harness.OpaqueForms;
import dev.keyward.it.harness.RealmExport;
import dev.keyward.it.harness.RelyingParty;
import dev.keyward.it.harness.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser at the demo realm's login through the demo client (authorization code + PKCE):
 * the page is the OPAQUE form under the keyward theme, with the forgot-password link, and its
 * script (WebAssembly) runs under the realm's Content-Security-Policy; "Try another way" offers the
 * password, the email code and the passkey. Keycloak's own password
 * form, which the demo realm no longer uses, still gets a full login with a token exchange and
 * ID token validation (Nimbus), in a realm imported from the same export with Keycloak's
 * default browser flow: the theme, CSP and client are the export's.
 */
@KeywardTest
public class BrowserLoginIT {
    private static final String PASSWORD_REALM = "keyward-password-form";
    // the OPAQUE page script runs Argon2id (default parameters) in the browser: seconds on a small machine
    private static final Duration WAIT = Duration.ofSeconds(30);
    // keycloak.v2's select-authenticator.ftl ("Try another way"): one clickable row per method, its display name as
    // heading
    private static final By METHOD = By.cssSelector(".select-auth-box-parent");
    private static final By METHOD_NAME = By.cssSelector(".select-auth-box-headline");

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs
    private static KeycloakServer keycloak;
    private static AdminApi admin;

    @BeforeAll
    static void start() {
        RealmExport.importAs(keycloak, admin, PASSWORD_REALM, Map.of("browserFlow", "browser"));
    }

    @Test
    void demoRealmLoginIsTheOpaqueFormUnderTheKeywardTheme() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, RealmImportIT.REALM, RealmImportIT.CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            assertTrue(
                    driver.getCurrentUrl()
                            .startsWith(keycloak.realmUri(RealmImportIT.REALM) + "/protocol/openid-connect/auth"),
                    driver.getCurrentUrl());
            assertEquals("Sign in to Keyward demo \u00b7 Keyward", driver.getTitle());
            assertKeywardTheme(driver);
            browser.screenshot("sign-in-page");
            // the OPAQUE page's error box stays hidden until there is an error
            assertFalse(driver.findElement(By.id("keyward-opaque-error")).isDisplayed());

            WebElement forgot = driver.findElement(By.id("kc-forgot-password"));
            assertTrue(forgot.isDisplayed());
            assertTrue(
                    forgot.getAttribute("href")
                            .startsWith(keycloak.realmUri(RealmImportIT.REALM) + "/login-actions/reset-credentials"),
                    forgot.getAttribute("href"));

            // An unknown user: the page script must run the OPAQUE client (WebAssembly) to get this far;
            // a CSP without 'wasm-unsafe-eval' would stop it with its no-WebAssembly message instead.
            String unknown =
                    "nobody-" + KeycloakServer.randomSecret().substring(0, 8).toLowerCase(Locale.ROOT);
            OpaqueForms.login(driver, wait, unknown, TestNames.password());
            OpaqueForms.awaitInvalid(driver, wait);
            assertThrows(TimeoutException.class, () -> callback.awaitRedirect(Duration.ofSeconds(1)), "no code issued");
        }
    }

    /**
     * The export's sign-in subflow has three alternatives: the OPAQUE form comes first and offers "Try
     * another way", which lists the password, the passkey and the email code (each under its display
     * name, in the flow's order: the passkey step stands right after the OPAQUE form);
     * choosing one shows its page. The email code starts with its own "username or email" page
     * and sends nothing before a name is given.
     */
    @Test
    void demoRealmOffersItsMethodsUnderTryAnotherWay() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, RealmImportIT.REALM, RealmImportIT.CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            driver.get(rp.authorizationUri().toString());
            assertEquals(List.of("Password", "Passkey", "Email code"), tryAnotherWay(driver, wait));
            chooseMethod(driver, "Password");
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));

            assertEquals(List.of("Password", "Passkey", "Email code"), tryAnotherWay(driver, wait));
            chooseMethod(driver, "Email code");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-email-code-identify-form")));
            assertKeywardTheme(driver);
            assertTrue(driver.findElement(By.id("username")).isDisplayed());
            assertTrue(driver.findElements(OpaqueForms.LOGIN_FORM).isEmpty());
            assertThrows(TimeoutException.class, () -> callback.awaitRedirect(Duration.ofSeconds(1)), "no code issued");
        }
    }

    /** Waits for the OPAQUE form, follows its "Try another way" link and returns the methods offered, in order. */
    public static List<String> tryAnotherWay(WebDriver driver, WebDriverWait wait) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
        driver.findElement(By.id("try-another-way")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(METHOD));
        return driver.findElements(METHOD).stream()
                .map(m -> m.findElement(METHOD_NAME).getText().trim())
                .toList();
    }

    /** On the "Try another way" page, clicks the method with this heading. */
    public static void chooseMethod(WebDriver driver, String heading) {
        for (WebElement option : driver.findElements(METHOD)) {
            if (option.findElement(METHOD_NAME).getText().trim().equals(heading)) {
                option.click();
                return;
            }
        }
        throw new AssertionError("no method " + heading + " offered");
    }

    @Test
    void keycloakPasswordFormLoginYieldsValidTokens() throws Exception {
        String username =
                "alice-" + KeycloakServer.randomSecret().substring(0, 8).toLowerCase(Locale.ROOT);
        String password = TestNames.password();
        admin.createUser(PASSWORD_REALM, username, username + "@example.test", password);

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, PASSWORD_REALM, RealmImportIT.CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-form-login")));
            assertTrue(
                    driver.getCurrentUrl()
                            .startsWith(keycloak.realmUri(PASSWORD_REALM) + "/protocol/openid-connect/auth"),
                    driver.getCurrentUrl());
            assertKeywardTheme(driver);
            OpaqueForms.keycloakPasswordLogin(driver, wait, username, password);

            IDTokenClaimsSet claims = rp.finish(driver, WAIT);
            assertEquals(
                    keycloak.realmUri(PASSWORD_REALM).toString(),
                    claims.getIssuer().getValue());
            assertEquals(username, claims.getStringClaim("preferred_username"));
        }
    }

    /** The keyward stylesheet is loaded and applied (the brand drawn above the card), on top of keycloak.v2's. */
    public static void assertKeywardTheme(WebDriver driver) {
        assertFalse(
                driver.findElements(By.cssSelector("link[href*='/login/keyward/css/keyward-'][href$='.css']"))
                        .isEmpty(),
                "keyward-<hash>.css not linked");
        assertFalse(
                driver.findElements(By.cssSelector(
                                "link[href$='/common/keycloak/vendor/patternfly-v5/patternfly.min.css']"))
                        .isEmpty(),
                "keycloak.v2's PatternFly not linked");
        Object brand = ((JavascriptExecutor) driver)
                .executeScript(
                        "return getComputedStyle(document.getElementById('kc-header-wrapper'), '::before').backgroundImage");
        assertTrue(String.valueOf(brand).contains("/login/keyward/img/keyward-logo"), "brand not applied: " + brand);
    }
}
