package dev.keyward.mfa;

import org.keycloak.authentication.actiontoken.ActionTokenContext;
import org.keycloak.authentication.actiontoken.resetcred.ResetCredentialsActionToken;
import org.keycloak.authentication.actiontoken.resetcred.ResetCredentialsActionTokenHandler;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Keycloak's reset-credentials link handler (same id, {@code reset-credentials}: an installed
 * provider replaces Keycloak's own), bound to its user's login ({@link ActionTokenBinding}).
 */
public class BoundResetCredentialsActionTokenHandler extends ResetCredentialsActionTokenHandler {
    @Override
    public String getAuthenticationSessionIdFromToken(
            ResetCredentialsActionToken token,
            ActionTokenContext<ResetCredentialsActionToken> tokenContext,
            AuthenticationSessionModel currentAuthSession) {
        return ActionTokenBinding.sameUserOnly(
                super.getAuthenticationSessionIdFromToken(token, tokenContext, currentAuthSession),
                token.getUserId(),
                currentAuthSession);
    }
}
