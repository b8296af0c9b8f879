package dev.keyward.mfa;

import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;

/**
 * The browser flow's second factor: one of the user's usable local methods other than those this
 * login has already proven ({@link ProvenMethods}). Its success is this step's success. The
 * condition before it ({@link SecondFactorCondition}) decides whether it runs.
 *
 * <p>Failures the method reports through the flow are logged under this factory's reference
 * category, {@code otp}: Keycloak counts them in the user's primary and second-factor failure
 * counts, so a password typed as the second factor cannot get around the password failure count.
 */
public class SecondFactorAuthenticator extends MethodStepAuthenticator {
    private static final Logger LOG = Logger.getLogger(SecondFactorAuthenticator.class);

    /** @param session the request's session */
    public SecondFactorAuthenticator(KeycloakSession session) {
        super(session);
    }

    @Override
    protected boolean applies(AuthenticationFlowContext context) {
        return true;
    }

    @Override
    protected Set<LocalMethod> provenBefore(AuthenticationFlowContext context) {
        return ProvenMethods.of(context.getRealm(), context.getAuthenticationSession());
    }

    /** One more method than the login had proven. */
    @Override
    protected boolean enough(Set<LocalMethod> before, Set<LocalMethod> here, Set<LocalMethod> usable) {
        return !here.isEmpty();
    }

    /** The level itself is recorded by Keycloak's level-of-authentication condition around this step. */
    @Override
    protected void reached(AuthenticationFlowContext context) {
        TwoFactorProof.record(context.getAuthenticationSession(), context.getUser());
    }

    @Override
    protected void refuse(AuthenticationFlowContext context) {
        // two-factor is on but no second method is left: fail closed
        LOG.debugf(
                "Realm %s: no second factor left for a user with two-factor sign-in",
                context.getRealm().getName());
        context.getEvent().error(Errors.INVALID_USER_CREDENTIALS);
        context.failure(
                AuthenticationFlowError.CREDENTIAL_SETUP_REQUIRED,
                context.form()
                        .setError(TwoFactorConstants.MSG_NO_SECOND_FACTOR)
                        .createErrorPage(Response.Status.FORBIDDEN));
    }
}
