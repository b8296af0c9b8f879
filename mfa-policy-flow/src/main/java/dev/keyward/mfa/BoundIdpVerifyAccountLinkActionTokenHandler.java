package dev.keyward.mfa;

import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.actiontoken.ActionTokenContext;
import org.keycloak.authentication.actiontoken.idpverifyemail.IdpVerifyAccountLinkActionToken;
import org.keycloak.authentication.actiontoken.idpverifyemail.IdpVerifyAccountLinkActionTokenHandler;
import org.keycloak.models.Constants;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Keycloak's identity-provider link confirmation handler (same id,
 * {@code idp-verify-account-via-email}: an installed provider replaces Keycloak's own), bound to
 * its user's login ({@link ActionTokenBinding}).
 *
 * <p>Keycloak marks the account's address verified when the link is confirmed. For an account
 * with two-factor sign-in on whose address is not verified (an admin may have withdrawn it, which
 * takes the email code out of its methods) that would let whoever reads the mailbox put the email
 * code back: the address stays as it was, and the link step ({@link LinkTwoFactorAuthenticator})
 * counts the mailbox as no method.
 */
public class BoundIdpVerifyAccountLinkActionTokenHandler extends IdpVerifyAccountLinkActionTokenHandler {
    private static final String NOTE_UNVERIFIED = "keyward-link.address-unverified";

    @Override
    public String getAuthenticationSessionIdFromToken(
            IdpVerifyAccountLinkActionToken token,
            ActionTokenContext<IdpVerifyAccountLinkActionToken> tokenContext,
            AuthenticationSessionModel currentAuthSession) {
        return ActionTokenBinding.sameUserOnly(
                super.getAuthenticationSessionIdFromToken(token, tokenContext, currentAuthSession),
                token.getUserId(),
                currentAuthSession);
    }

    @Override
    public Response handleToken(
            IdpVerifyAccountLinkActionToken token, ActionTokenContext<IdpVerifyAccountLinkActionToken> tokenContext) {
        AuthenticationSessionModel authSession = tokenContext.getAuthenticationSession();
        UserModel user = authSession.getAuthenticatedUser();
        boolean keepUnverified = user != null && !user.isEmailVerified() && MethodStepAuthenticator.twoFactorOn(user);
        if (keepUnverified) {
            // read by the link step if Keycloak continues the flow inside the call below
            authSession.setAuthNote(NOTE_UNVERIFIED, user.getId());
        }
        try {
            return super.handleToken(token, tokenContext);
        } finally {
            if (keepUnverified) {
                if (user.isEmailVerified()) {
                    user.setEmailVerified(false);
                }
                // Keycloak's link step marked the address as mailed; the realm's own verification
                // would then show "an email has been sent" and send none
                authSession.removeAuthNote(Constants.VERIFY_EMAIL_KEY);
            }
        }
    }

    /** @return whether this login confirmed a link through an address that was not verified */
    static boolean confirmedThroughUnverifiedAddress(AuthenticationSessionModel authSession, UserModel user) {
        return user != null && user.getId().equals(authSession.getAuthNote(NOTE_UNVERIFIED));
    }
}
