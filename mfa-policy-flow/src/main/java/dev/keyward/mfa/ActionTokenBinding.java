package dev.keyward.mfa;

import org.jboss.logging.Logger;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Keeps an emailed action token to the login it was sent for, or to none. Keycloak 26.7 applies a
 * token in whatever authentication session its tab names and then sets the token's user as that
 * session's user ({@code LoginActionsServiceChecks.checkIsUserValid}), without restarting the
 * flow: a reset link for V opened in a tab where A has already signed in (its first factor done,
 * or waiting in a required action) would carry on A's login as V, past the steps V's reset needs
 * (issue 17: the mailbox alone would become a session). So a token whose session has another
 * user is not matched to it: Keycloak then drops that session and starts the token's flow afresh,
 * as when a link is opened in another browser.
 */
final class ActionTokenBinding {
    private static final Logger LOG = Logger.getLogger(ActionTokenBinding.class);

    private ActionTokenBinding() {}

    /**
     * @param fromToken the session id the token names (Keycloak's answer)
     * @param tokenUserId the token's user
     * @param current the session the request's tab names, or null
     * @return {@code fromToken}, or null when {@code current} already belongs to another user
     */
    static String sameUserOnly(String fromToken, String tokenUserId, AuthenticationSessionModel current) {
        UserModel user = current == null ? null : current.getAuthenticatedUser();
        if (user == null || user.getId().equals(tokenUserId)) {
            return fromToken;
        }
        LOG.debugf(
                "Realm %s: an action token for another user than the session's: starting a fresh session",
                current.getRealm().getName());
        return null;
    }
}
