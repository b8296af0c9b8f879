package dev.keyward.mfa;

import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * Ends everything a user signed in with so far: once two-factor sign-in is on, sessions and
 * tokens from single-factor logins must not live on. The user's not-before time makes every
 * older access, refresh and offline token invalid (Keycloak checks it on refresh, introspection,
 * userinfo and bearer calls); the sessions themselves are logged out, with back-channel logout to
 * the clients that support it, and offline sessions are removed.
 */
public final class SessionRevoker {
    private SessionRevoker() {}

    /**
     * @param session the request's session
     * @param realm the user's realm
     * @param user the user
     */
    public static void revokeAll(KeycloakSession session, RealmModel realm, UserModel user) {
        revokeAllBut(session, realm, user, null);
    }

    /**
     * Like {@link #revokeAll}, but the login session that has just proven two factors lives on:
     * its earlier tokens are invalid all the same (the not-before time), and the tokens it gets
     * next are two-factor ones.
     *
     * @param session the request's session
     * @param realm the user's realm
     * @param user the user
     * @param keepUserSessionId the id of the user session to keep, or {@code null}
     */
    public static void revokeAllBut(
            KeycloakSession session, RealmModel realm, UserModel user, String keepUserSessionId) {
        session.users().setNotBeforeForUser(realm, user, Time.currentTime());
        for (UserSessionModel userSession : session.sessions()
                .getUserSessionsStream(realm, user)
                .filter(s -> !s.getId().equals(keepUserSessionId))
                .toList()) {
            AuthenticationManager.backchannelLogout(
                    session,
                    realm,
                    userSession,
                    session.getContext().getUri(),
                    session.getContext().getConnection(),
                    session.getContext().getRequestHeaders(),
                    true);
        }
        for (UserSessionModel offline :
                session.sessions().getOfflineUserSessionsStream(realm, user).toList()) {
            session.sessions().removeOfflineUserSession(realm, offline);
        }
    }
}
