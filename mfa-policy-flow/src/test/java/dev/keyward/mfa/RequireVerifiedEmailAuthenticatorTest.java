package dev.keyward.mfa;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.broker.oidc.OIDCIdentityProvider;
import org.keycloak.representations.IDToken;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.util.JsonSerialization;

/** The rule behind keyward-idp-verified-email, on tokens shaped like those Keycloak's OIDC broker keeps. */
class RequireVerifiedEmailAuthenticatorTest {
    private static final String EMAIL = "ada@example.test";

    /** What OIDCIdentityProvider.validateToken produces: a plain JsonWebToken read from the token's JSON. */
    private static JsonWebToken token(String json) throws Exception {
        return JsonSerialization.readValue(json, JsonWebToken.class);
    }

    @Test
    void verifiedClaimForTheSameAddressIsEnough() throws Exception {
        assertTrue(RequireVerifiedEmailAuthenticator.vouchedFor(
                token("{\"email\":\"ada@example.test\",\"email_verified\":true}"), EMAIL));
        // addresses compare without case
        assertTrue(RequireVerifiedEmailAuthenticator.vouchedFor(
                token("{\"email\":\"Ada@Example.TEST\",\"email_verified\":true}"), EMAIL));
        // a provider that sends the flag as a string
        assertTrue(RequireVerifiedEmailAuthenticator.vouchedFor(
                token("{\"email\":\"ada@example.test\",\"email_verified\":\"true\"}"), EMAIL));
        // no address in the token: the flag speaks of the user's address
        assertTrue(RequireVerifiedEmailAuthenticator.vouchedFor(token("{\"email_verified\":true}"), EMAIL));
    }

    @Test
    void anythingElseIsRefused() throws Exception {
        assertFalse(RequireVerifiedEmailAuthenticator.vouchedFor(
                token("{\"email\":\"ada@example.test\",\"email_verified\":false}"), EMAIL));
        assertFalse(
                RequireVerifiedEmailAuthenticator.vouchedFor(token("{\"email\":\"ada@example.test\"}"), EMAIL),
                "no claim");
        assertFalse(RequireVerifiedEmailAuthenticator.vouchedFor(
                token("{\"email\":\"ada@example.test\",\"email_verified\":\"yes\"}"), EMAIL));
        assertFalse(RequireVerifiedEmailAuthenticator.vouchedFor(
                token("{\"email\":\"ada@example.test\",\"email_verified\":1}"), EMAIL));
        // verified, but another address than the login's (e.g. userinfo answered a different one)
        assertFalse(RequireVerifiedEmailAuthenticator.vouchedFor(
                token("{\"email\":\"eve@example.test\",\"email_verified\":true}"), EMAIL));
        // no address for the account, or no token at all (SAML, plain OAuth 2 providers)
        assertFalse(RequireVerifiedEmailAuthenticator.vouchedFor(token("{\"email_verified\":true}"), null));
        assertFalse(RequireVerifiedEmailAuthenticator.vouchedFor(token("{\"email_verified\":true}"), " "));
        assertFalse(RequireVerifiedEmailAuthenticator.vouchedFor(null, EMAIL));
    }

    @Test
    void typedIdTokensAreReadFromTheirFields() {
        IDToken id = new IDToken();
        id.setEmail(EMAIL);
        id.setEmailVerified(true);
        assertTrue(RequireVerifiedEmailAuthenticator.vouchedFor(id, EMAIL));
        id.setEmailVerified(false);
        assertFalse(RequireVerifiedEmailAuthenticator.vouchedFor(id, EMAIL));
        id.setEmailVerified(null);
        assertFalse(RequireVerifiedEmailAuthenticator.vouchedFor(id, EMAIL));
    }

    @Test
    void theIdTokenComesFirstThenTheAccessToken() throws Exception {
        JsonWebToken id = token("{\"email_verified\":false}");
        JsonWebToken access = token("{\"email_verified\":true}");
        Map<String, Object> data = new HashMap<>();
        assertNull(RequireVerifiedEmailAuthenticator.providerToken(data));
        data.put(OIDCIdentityProvider.VALIDATED_ACCESS_TOKEN, access);
        assertSame(access, RequireVerifiedEmailAuthenticator.providerToken(data));
        data.put(OIDCIdentityProvider.VALIDATED_ID_TOKEN, id);
        assertSame(id, RequireVerifiedEmailAuthenticator.providerToken(data));
        data.put(OIDCIdentityProvider.VALIDATED_ID_TOKEN, "not a token");
        assertNull(RequireVerifiedEmailAuthenticator.providerToken(data));
    }
}
