package dev.keyward.mfa;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * True when this login needs a second factor: the user has {@code two_factor_enabled} and the
 * first factor was a local method (identity-provider logins never reach the browser flow's forms,
 * and a login that recorded no local method has nothing to add a second one to).
 */
public class SecondFactorCondition implements ConditionalAuthenticator {
    @Override
    public boolean matchCondition(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        return user != null && TwoFactorConstants.ON.equals(user.getFirstAttribute(TwoFactorConstants.ATTRIBUTE))
                && !SecondFactorAuthenticator.usedMethods(context.getAuthenticationSession()).isEmpty();
    }

    @Override
    public void action(AuthenticationFlowContext context) {
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
