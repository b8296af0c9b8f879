package dev.keyward.it.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
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
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One authorization-code + PKCE (S256) round trip of a public OIDC client, done with Nimbus: the
 * authorization URL (state, nonce, code challenge), then, once the browser reached the
 * {@link CallbackServer}, the code exchange with the verifier and the ID token's validation
 * (signature from the realm's JWKS, issuer, audience, nonce). The callback's exact URI is added
 * to the client's redirect URIs first.
 */
public final class RelyingParty {
    private final CallbackServer callback;
    private final OIDCProviderMetadata metadata;
    private final ClientID clientId;
    private final CodeVerifier verifier = new CodeVerifier();
    private final State state = new State();
    private final Nonce nonce = new Nonce();
    private final AuthenticationRequest authorize;

    public RelyingParty(KeycloakServer keycloak, AdminApi admin, String realm, String client, CallbackServer callback)
            throws Exception {
        this(keycloak, admin, realm, client, callback, Map.of());
    }

    /**
     * @param extra further authorization request parameters ({@code acr_values}, {@code kc_action}, ...);
     *     {@code scope} replaces the default {@code openid}
     */
    public RelyingParty(
            KeycloakServer keycloak,
            AdminApi admin,
            String realm,
            String client,
            CallbackServer callback,
            Map<String, String> extra)
            throws Exception {
        this.callback = callback;
        this.clientId = new ClientID(client);
        admin.addRedirectUri(realm, client, callback.redirectUri());
        metadata = OIDCProviderMetadata.resolve(new Issuer(keycloak.realmUri(realm)));
        AuthenticationRequest.Builder request = new AuthenticationRequest.Builder(
                        ResponseType.CODE,
                        Scope.parse(extra.getOrDefault("scope", "openid")),
                        clientId,
                        callback.redirectUri())
                .endpointURI(metadata.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256);
        extra.forEach((name, value) -> {
            if (!"scope".equals(name)) {
                request.customParameter(name, value);
            }
        });
        authorize = request.build();
    }

    /**
     * What the client got: the validated ID token's claims, the access token's claims, the refresh
     * token, the redirect it came with, and the access token itself (to call an API with).
     */
    public record Tokens(
            IDTokenClaimsSet id, JWTClaimsSet access, String refreshToken, URI redirect, String accessToken) {}

    /** Where the browser starts: the realm's authorization endpoint with this client's request. */
    public URI authorizationUri() {
        return authorize.toURI();
    }

    /**
     * The same request asking Keycloak to run required action {@code kcAction} once the user is
     * signed in (an application-initiated action); the redirect then says how it went
     * ({@code kc_action_status}).
     */
    public URI authorizationUri(String kcAction) {
        return new AuthenticationRequest.Builder(authorize)
                .customParameter("kc_action", kcAction)
                .build()
                .toURI();
    }

    /** Waits for the redirect with a code, exchanges it (with the PKCE verifier) and validates the ID token. */
    public IDTokenClaimsSet finish(WebDriver driver, Duration timeout) throws Exception {
        return finishTokens(driver, timeout).id();
    }

    /** Waits for the redirect and exchanges its code; returns Keycloak's answer, success or not. */
    public TokenResponse exchange(Duration timeout) throws Exception {
        return exchange(callback.awaitRedirect(timeout));
    }

    private TokenResponse exchange(URI redirected) throws Exception {
        AuthorizationResponse response = AuthorizationResponse.parse(redirected);
        assertTrue(response.indicatesSuccess(), redirected::toString);
        assertEquals(state, response.getState());
        AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();
        return OIDCTokenResponseParser.parse(new TokenRequest(
                        metadata.getTokenEndpointURI(),
                        clientId,
                        new AuthorizationCodeGrant(code, callback.redirectUri(), verifier))
                .toHTTPRequest()
                .send());
    }

    /** Like {@link #finish}, returning every token; the access token is read, not validated (Keycloak checks it when used). */
    public Tokens finishTokens(WebDriver driver, Duration timeout) throws Exception {
        URI redirected = callback.awaitRedirect(timeout);
        new WebDriverWait(driver, timeout)
                .until(d -> d.getCurrentUrl().startsWith(callback.redirectUri().toString()));
        TokenResponse tokens = exchange(redirected);
        assertTrue(
                tokens.indicatesSuccess(),
                () -> tokens.toErrorResponse().getErrorObject().toString());
        OIDCTokenResponse ok = (OIDCTokenResponse) tokens.toSuccessResponse();
        assertFalse(ok.getOIDCTokens().getAccessToken().getValue().isEmpty());
        IDTokenClaimsSet claims = new IDTokenValidator(
                        metadata.getIssuer(),
                        clientId,
                        JWSAlgorithm.RS256,
                        metadata.getJWKSetURI().toURL())
                .validate(ok.getOIDCTokens().getIDToken(), nonce);
        assertEquals(clientId.getValue(), claims.getAudience().get(0).getValue());
        String accessToken = ok.getOIDCTokens().getAccessToken().getValue();
        JWTClaimsSet access = JWTParser.parse(accessToken).getJWTClaimsSet();
        RefreshToken refresh = ok.getOIDCTokens().getRefreshToken();
        TestSecrets.record(TestSecrets.Kind.TOKEN, accessToken);
        TestSecrets.record(TestSecrets.Kind.TOKEN, ok.getOIDCTokens().getIDTokenString());
        if (refresh != null) {
            TestSecrets.record(TestSecrets.Kind.TOKEN, refresh.getValue());
        }
        return new Tokens(claims, access, refresh == null ? null : refresh.getValue(), redirected, accessToken);
    }
}
