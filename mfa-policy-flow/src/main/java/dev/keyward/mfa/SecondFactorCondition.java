package dev.keyward.mfa;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.authentication.authenticators.util.AcrStore;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * True when this login needs a second factor, which is when any of these holds:
 * <ul>
 *   <li>the user has {@code two_factor_enabled};</li>
 *   <li>the login runs the enable or disable two-factor action (application-initiated or pending
 *       on the user): both must see two methods proven in this login;</li>
 *   <li>the client asked for the two-factor level ({@code acr_values}) and the user has two usable
 *       methods (with fewer, there is nothing to step up with; an essential request then fails in
 *       Keycloak's own level check).</li>
 * </ul>
 * The enable action with fewer than two usable methods does not match: its page explains what to add.
 *
 * <p>On a match the login's requested level of authentication becomes two-factor, so Keycloak's
 * "Condition - Level of Authentication" (level 2) placed after this condition matches too and
 * records the level when the step succeeds: the acr claim and later step-ups then work the
 * Keycloak way. Identity-provider logins never reach the browser flow's forms.
 */
public class SecondFactorCondition implements ConditionalAuthenticator {
    @Override
    public boolean matchCondition(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        if (user == null) {
            return false;
        }
        KeycloakSession session = context.getSession();
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        AcrStore acr = new AcrStore(session, authSession);
        boolean on = TwoFactorConstants.ON.equals(user.getFirstAttribute(TwoFactorConstants.ATTRIBUTE));
        boolean action = TwoFactorActions.runs(authSession, user);
        boolean requested =
                acr.getRequestedLevelOfAuthentication(context.getTopLevelFlow()) >= TwoFactorConstants.TWO_FACTOR_LOA;
        if (!on && !action && !requested) {
            return false;
        }
        if (!on && !UsableMethods.enoughForTwoFactor(UsableMethods.of(session, context.getRealm(), user))) {
            return false;
        }
        if (!requested) {
            authSession.setClientNote(
                    Constants.REQUESTED_LEVEL_OF_AUTHENTICATION, Integer.toString(TwoFactorConstants.TWO_FACTOR_LOA));
        }
        return true;
    }

    @Override
    public void action(AuthenticationFlowContext context) {}

    @Override
    public boolean requiresUser() {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {}

    @Override
    public void close() {}
}
