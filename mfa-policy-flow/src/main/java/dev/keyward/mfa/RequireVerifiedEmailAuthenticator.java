package dev.keyward.mfa;

import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.broker.AbstractIdpAuthenticator;
import org.keycloak.authentication.authenticators.broker.util.SerializedBrokeredIdentityContext;
import org.keycloak.broker.oidc.OIDCIdentityProvider;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.representations.IDToken;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * First-broker-login step: the login goes on only when the identity provider says it verified
 * the email address the local account is going to get.
 *
 * <p>Keycloak 26.7 refuses nothing on its own here: with the provider's "Trust email" on, an
 * OIDC provider's {@code email_verified} claim only becomes the new local user's
 * "email verified" flag ({@code OIDCIdentityProvider.setEmailVerified}), so an unverified
 * address would still create an account, and the next steps of the flow match existing accounts
 * by that address. This step therefore checks the provider's own statement before any of that:
 * the validated ID token (or, as Keycloak itself falls back, the validated access token) must
 * carry {@code email_verified: true}, and if that token names an address it must be the one the
 * login will use (which the provider's userinfo answer may have replaced). Anything else (no
 * address, no claim, a provider that sends no token, such as SAML or plain OAuth 2 ones) is
 * refused with a page saying so, before any account is created or linked.
 */
public class RequireVerifiedEmailAuthenticator implements Authenticator {
    private static final Logger LOG = Logger.getLogger(RequireVerifiedEmailAuthenticator.class);

    static final String MSG_NOT_VERIFIED = "keywardIdpEmailNotVerified";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        SerializedBrokeredIdentityContext serialized = SerializedBrokeredIdentityContext.readFromAuthenticationSession(
                authSession, AbstractIdpAuthenticator.BROKERED_CONTEXT_NOTE);
        if (serialized == null) {
            // outside a first broker login there is no provider statement to check: fail closed
            LOG.warnf(
                    "Realm %s: %s runs only in an identity provider's first broker login flow",
                    context.getRealm().getName(), RequireVerifiedEmailAuthenticatorFactory.ID);
            context.failure(AuthenticationFlowError.INTERNAL_ERROR);
            return;
        }
        BrokeredIdentityContext broker = serialized.deserialize(context.getSession(), authSession);
        if (vouchedFor(providerToken(broker.getContextData()), broker.getEmail())) {
            context.success();
            return;
        }
        String provider =
                KeycloakModelUtils.getIdentityProviderDisplayName(context.getSession(), broker.getIdpConfig());
        context.getEvent()
                .detail(Details.IDENTITY_PROVIDER, broker.getIdpConfig().getAlias())
                .detail(Details.REASON, "email not verified by the identity provider")
                .error(Errors.NOT_ALLOWED);
        Response page = context.form().setError(MSG_NOT_VERIFIED, provider).createErrorPage(Response.Status.FORBIDDEN);
        context.failure(AuthenticationFlowError.ACCESS_DENIED, page);
    }

    /** The token the provider's statement is read from: the ID token, else the access token (Keycloak's own order). */
    static JsonWebToken providerToken(Map<String, Object> contextData) {
        Object token = contextData.get(OIDCIdentityProvider.VALIDATED_ID_TOKEN);
        if (token == null) {
            token = contextData.get(OIDCIdentityProvider.VALIDATED_ACCESS_TOKEN);
        }
        return token instanceof JsonWebToken ? (JsonWebToken) token : null;
    }

    /**
     * @param token the provider's validated token, or null
     * @param email the address the login will give the local account
     * @return whether the provider says it verified exactly that address
     */
    static boolean vouchedFor(JsonWebToken token, String email) {
        if (token == null || email == null || email.isBlank()) {
            return false;
        }
        Object verified;
        Object tokenEmail;
        if (token instanceof IDToken) {
            // a typed ID token keeps these two claims in fields, not in the other claims
            verified = ((IDToken) token).getEmailVerified();
            tokenEmail = ((IDToken) token).getEmail();
        } else {
            verified = token.getOtherClaims().get(IDToken.EMAIL_VERIFIED);
            tokenEmail = token.getOtherClaims().get(IDToken.EMAIL);
        }
        return isTrue(verified) && (tokenEmail == null || sameAddress(tokenEmail.toString(), email));
    }

    private static boolean isTrue(Object claim) {
        // JSON true; some providers send the string "true"
        return Boolean.TRUE.equals(claim)
                || (claim instanceof String && "true".equalsIgnoreCase(((String) claim).trim()));
    }

    private static boolean sameAddress(String a, String b) {
        return a.trim().toLowerCase(Locale.ROOT).equals(b.trim().toLowerCase(Locale.ROOT));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        // no form: a refresh of the refusal page runs authenticate() again
        authenticate(context);
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {}

    @Override
    public void close() {}
}
