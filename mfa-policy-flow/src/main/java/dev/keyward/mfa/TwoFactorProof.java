package dev.keyward.mfa;

import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * That this login proved two of a user's methods, bound to that user. Keycloak keeps one
 * authentication session per browser tab and lets its user change within it (a second identity
 * provider login sets a new user without restarting the flow), so a level of authentication or a
 * step's notes alone could belong to someone else; the proof names whose it is. Written by the
 * pack's steps when they reach two factors, read by {@link FederatedLoginAuthenticator},
 * {@link BrokerSecondFactorAuthenticator} and {@link TwoFactorCompletionCheck}. Keycloak clears it
 * with every other note when a flow restarts.
 */
final class TwoFactorProof {
    private static final String NOTE = "keyward-2fa.proven-for";

    private TwoFactorProof() {}

    static void record(AuthenticationSessionModel authSession, UserModel user) {
        authSession.setAuthNote(NOTE, user.getId());
    }

    /** @return whether this login proved two methods of exactly this user */
    static boolean holds(AuthenticationSessionModel authSession, UserModel user) {
        return user != null && user.getId().equals(authSession.getAuthNote(NOTE));
    }
}
