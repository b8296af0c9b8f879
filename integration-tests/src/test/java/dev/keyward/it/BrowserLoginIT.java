package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser logs in to realm keyward through the demo client: authorization code + PKCE (S256),
 * the Keycloak login page, a redirect to the exact redirect URI, and a token exchange and ID token
 * validation done by a real OIDC client library (Nimbus).
 */
class BrowserLoginIT {
    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    private static KeycloakServer keycloak;
    private static AdminApi admin;

    @BeforeAll
    static void start() {
        keycloak = KeycloakServer.get();
        admin = new AdminApi(keycloak);
    }

    @Test
    void passwordLoginThroughTheDemoClientYieldsValidTokens() throws Exception {
        String username = "alice-" + KeycloakServer.randomSecret().substring(0, 8).toLowerCase(java.util.Locale.ROOT);
        String password = "Pw-" + KeycloakServer.randomSecret();
        admin.createUser(RealmImportIT.REALM, username, username + "@example.test", password);

        try (CallbackServer callback = new CallbackServer()) {
            URI redirect = callback.redirectUri();
            admin.addRedirectUri(RealmImportIT.REALM, RealmImportIT.CLIENT, redirect);
            OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(keycloak.realmUri(RealmImportIT.REALM)));
            ClientID clientId = new ClientID(RealmImportIT.CLIENT);
            CodeVerifier verifier = new CodeVerifier();
            State state = new State();
            Nonce nonce = new Nonce();
            URI authorize = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"), clientId, redirect)
                    .endpointURI(metadata.getAuthorizationEndpointURI()).state(state).nonce(nonce)
                    .codeChallenge(verifier, CodeChallengeMethod.S256).build().toURI();

            WebDriver driver = browser.driver();
            driver.get(authorize.toString());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
            // Keycloak's login page of this realm, not some other page with a username field
            assertTrue(driver.getCurrentUrl().startsWith(keycloak.realmUri(RealmImportIT.REALM) + "/protocol/openid-connect/auth"),
                    driver.getCurrentUrl());
            assertTrue(driver.getPageSource().contains("Keyward demo"), "realm display name not on the login page");
            driver.findElement(By.id("username")).sendKeys(username);
            driver.findElement(By.id("password")).sendKeys(password);
            driver.findElement(By.id("kc-login")).click();

            URI redirected = callback.awaitRedirect(Duration.ofSeconds(30));
            wait.until(d -> d.getCurrentUrl().startsWith(redirect.toString()));
            AuthorizationResponse response = AuthorizationResponse.parse(redirected);
            assertTrue(response.indicatesSuccess(), redirected::toString);
            assertEquals(state, response.getState());
            assertEquals(redirect.toString(), redirected.toString().substring(0, redirected.toString().indexOf('?')));
            AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();

            TokenResponse tokens = OIDCTokenResponseParser.parse(new TokenRequest(metadata.getTokenEndpointURI(), clientId,
                    new AuthorizationCodeGrant(code, redirect, verifier)).toHTTPRequest().send());
            assertTrue(tokens.indicatesSuccess(), () -> tokens.toErrorResponse().getErrorObject().toString());
            JWT idToken = ((OIDCTokenResponse) tokens.toSuccessResponse()).getOIDCTokens().getIDToken();

            IDTokenValidator validator = new IDTokenValidator(metadata.getIssuer(), clientId, JWSAlgorithm.RS256,
                    metadata.getJWKSetURI().toURL());
            IDTokenClaimsSet claims = validator.validate(idToken, nonce);
            assertEquals(keycloak.realmUri(RealmImportIT.REALM).toString(), claims.getIssuer().getValue());
            assertEquals(RealmImportIT.CLIENT, claims.getAudience().get(0).getValue());
            assertEquals(username, claims.getStringClaim("preferred_username"));
        }
    }
}
