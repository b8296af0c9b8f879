package dev.keyward.mfa;

import java.util.EnumSet;
import java.util.Set;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.models.KeycloakSession;

/**
 * Post-broker-login step for identity providers the realm does not trust to stand in for local
 * two-factor sign-in: a user with two-factor sign-in on proves one of their usable local methods
 * after the provider's login, which then counts as two-factor. Which providers get it is the
 * admin's choice of post-broker-login flow per provider (the export's {@code keyward post broker
 * login with local two-factor}); users without two-factor sign-in pass untouched.
 */
public class BrokerSecondFactorAuthenticator extends MethodStepAuthenticator {
    /** @param session the request's session */
    public BrokerSecondFactorAuthenticator(KeycloakSession session) {
        super(session);
    }

    @Override
    protected boolean applies(AuthenticationFlowContext context) {
        // a first login that linked the account proved its two factors already (LinkTwoFactorAuthenticator)
        return twoFactorOn(context.getUser())
                && !TwoFactorProof.holds(context.getAuthenticationSession(), context.getUser());
    }

    @Override
    protected Set<LocalMethod> provenBefore(AuthenticationFlowContext context) {
        return EnumSet.noneOf(LocalMethod.class);
    }

    @Override
    protected boolean enough(Set<LocalMethod> before, Set<LocalMethod> here, Set<LocalMethod> usable) {
        return !here.isEmpty();
    }

    @Override
    protected void refuse(AuthenticationFlowContext context) {
        refuseWith(context, "two-factor user without a usable local method", TwoFactorConstants.MSG_NO_SECOND_FACTOR);
    }

    @Override
    protected void reached(AuthenticationFlowContext context) {
        recordTwoFactorLevel(context);
    }
}
