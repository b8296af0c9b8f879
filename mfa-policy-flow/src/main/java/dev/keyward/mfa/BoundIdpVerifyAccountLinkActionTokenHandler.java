package dev.keyward.mfa;

import org.keycloak.authentication.actiontoken.ActionTokenContext;
import org.keycloak.authentication.actiontoken.idpverifyemail.IdpVerifyAccountLinkActionToken;
import org.keycloak.authentication.actiontoken.idpverifyemail.IdpVerifyAccountLinkActionTokenHandler;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Keycloak's identity-provider link confirmation handler (same id,
 * {@code idp-verify-account-via-email}: an installed provider replaces Keycloak's own), bound to
 * its user's login ({@link ActionTokenBinding}).
 */
public class BoundIdpVerifyAccountLinkActionTokenHandler extends IdpVerifyAccountLinkActionTokenHandler {
    @Override
    public String getAuthenticationSessionIdFromToken(IdpVerifyAccountLinkActionToken token,
            ActionTokenContext<IdpVerifyAccountLinkActionToken> tokenContext, AuthenticationSessionModel currentAuthSession) {
        return ActionTokenBinding.sameUserOnly(super.getAuthenticationSessionIdFromToken(token, tokenContext, currentAuthSession),
                token.getUserId(), currentAuthSession);
    }
}
