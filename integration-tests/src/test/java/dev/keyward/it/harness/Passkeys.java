package dev.keyward.it.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * Passkeys in the tests' Chromium: Chromium's virtual authenticator stands in for the device, and
 * Keycloak's own passkey pages (webauthn-register.ftl, webauthn-authenticate.ftl) are used the way
 * a user does, with their buttons. The page scripts call the WebAuthn API, which the virtual
 * authenticator answers without any dialog.
 */
public final class Passkeys {
    /** The credential type Keycloak stores a passkey under. */
    public static final String CREDENTIAL_TYPE = "webauthn-passwordless";
    /** The required action that registers one; also what {@code kc_action} names. */
    static final String REGISTER_ACTION = "webauthn-register-passwordless";

    public static final By REGISTER_BUTTON = By.id("registerWebAuthn");
    public static final By SIGN_IN_BUTTON = By.id("authenticateWebAuthnButton");
    /** The OPAQUE page's passkey button, shown when the realm enables passkeys. */
    public static final By OPAQUE_PAGE_BUTTON = By.id("keyward-passkey-signin");

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Passkeys() {}

    /**
     * A platform authenticator like a phone's or a laptop's: CTAP2 over the internal transport,
     * discoverable (resident) keys, and user verification that always succeeds, so the realm's
     * "user verification required" policy is met without a PIN or fingerprint. It lives as long
     * as the browser. The browser's pages see no conditional mediation (below).
     */
    public static VirtualAuthenticator attach(WebDriver driver) {
        // Chromium's virtual authenticator answers a conditional (autofill) request at once, like a
        // user who always picks the passkey the autofill offers: the OPAQUE page would sign in by
        // passkey as soon as it loads. Tests act as a user who ignores the autofill: the pages see
        // no conditional mediation (their passkey buttons work as always).
        ((ChromeDriver) driver)
                .executeCdpCommand(
                        "Page.addScriptToEvaluateOnNewDocument",
                        Map.of(
                                "source",
                                "if (window.PublicKeyCredential) PublicKeyCredential"
                                        + ".isConditionalMediationAvailable = () => Promise.resolve(false);"));
        return attachWithAutofill(driver);
    }

    /**
     * Like {@link #attach}, with the browser's conditional mediation left on: the OPAQUE page's
     * autofill request is answered at once with the device's passkey for the site.
     */
    public static VirtualAuthenticator attachWithAutofill(WebDriver driver) {
        VirtualAuthenticatorOptions options = new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true)
                .setHasUserVerification(true)
                .setIsUserVerified(true)
                .setIsUserConsenting(true);
        return ((HasVirtualAuthenticator) driver).addVirtualAuthenticator(options);
    }

    /**
     * Registers a passkey through the application-initiated action: the relying party's
     * authorization request with {@code kc_action}, then {@code signIn} (nothing for a browser
     * already signed in; the login pages otherwise), Keycloak's registration page, and the
     * relying party's tokens. Fails unless the application is told the action succeeded.
     *
     * @param signIn what the user does between the request and the registration page
     * @param label the name the user gives the passkey when the page asks
     * @return the ID token's claims
     */
    public static IDTokenClaimsSet register(
            WebDriver driver, RelyingParty rp, CallbackServer callback, Runnable signIn, String label)
            throws Exception {
        driver.get(rp.authorizationUri(REGISTER_ACTION).toString());
        signIn.run();
        confirmRegistration(driver, new WebDriverWait(driver, WAIT), label);
        IDTokenClaimsSet claims = rp.finish(driver, WAIT);
        String query = callback.awaitRedirect(WAIT).getRawQuery();
        assertTrue(query.contains("kc_action_status=success"), query);
        return claims;
    }

    /**
     * On Keycloak's registration page: Register; the authenticator creates the key, and the page
     * asks for a name in a prompt, which the user answers with {@code label}.
     */
    static void confirmRegistration(WebDriver driver, WebDriverWait wait, String label) {
        WebElement button = wait.until(ExpectedConditions.elementToBeClickable(REGISTER_BUTTON));
        button.click();
        Alert prompt = wait.until(ExpectedConditions.alertIsPresent());
        prompt.sendKeys(label);
        prompt.accept();
        wait.until(ExpectedConditions.stalenessOf(button));
    }

    /** On Keycloak's passkey sign-in page: the button; the authenticator signs the challenge and the page posts it. */
    public static void signIn(WebDriver driver, WebDriverWait wait) {
        WebElement button = wait.until(ExpectedConditions.elementToBeClickable(SIGN_IN_BUTTON));
        button.click();
        wait.until(ExpectedConditions.stalenessOf(button));
    }

    /**
     * On the OPAQUE page: "Sign in with a passkey"; the authenticator signs the page's challenge
     * and the page posts it (opaque_step=passkey).
     */
    public static void signInOnOpaquePage(WebDriver driver, WebDriverWait wait) {
        WebElement button = wait.until(ExpectedConditions.elementToBeClickable(OPAQUE_PAGE_BUTTON));
        button.click();
        wait.until(ExpectedConditions.stalenessOf(button));
    }

    /** The user's passkeys as the admin API lists them (type, userLabel, credentialData, ...). */
    public static List<JsonNode> credentials(AdminApi admin, String realm, String userId) {
        List<JsonNode> result = new ArrayList<>();
        for (JsonNode credential : admin.get("/admin/realms/" + realm + "/users/" + userId + "/credentials")) {
            if (CREDENTIAL_TYPE.equals(credential.path("type").asText())) {
                result.add(credential);
            }
        }
        return result;
    }

    /** The WebAuthn credential id in an admin API credential's {@code credentialData} (stored there as base64). */
    public static byte[] credentialId(JsonNode credential) throws Exception {
        JsonNode data = JSON.readTree(credential.path("credentialData").asText());
        return Base64.getMimeDecoder().decode(data.path("credentialId").asText());
    }
}
