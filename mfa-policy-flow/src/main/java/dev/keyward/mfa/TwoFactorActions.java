package dev.keyward.mfa;

import org.keycloak.models.Constants;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/** Whether a login is on its way to the enable or disable two-factor action. */
final class TwoFactorActions {
    private TwoFactorActions() {}

    /**
     * @param authSession the login
     * @param user the user the login is for
     * @return whether the login will run one of the two actions: asked by the application
     *         ({@code kc_action}) or pending on the user or the login
     */
    static boolean runs(AuthenticationSessionModel authSession, UserModel user) {
        String kcAction = authSession.getClientNote(Constants.KC_ACTION);
        if (EnableTwoFactorActionFactory.ID.equals(kcAction) || DisableTwoFactorActionFactory.ID.equals(kcAction)) {
            return true;
        }
        return authSession.getRequiredActions().contains(EnableTwoFactorActionFactory.ID)
                || user.getRequiredActionsStream().anyMatch(EnableTwoFactorActionFactory.ID::equals);
    }
}
