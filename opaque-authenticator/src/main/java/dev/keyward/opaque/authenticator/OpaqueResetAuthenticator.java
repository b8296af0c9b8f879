package dev.keyward.opaque.authenticator;

import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The last step of a reset-credentials flow (after Choose User and Send Reset Email, so the user
 * has proved control of their mailbox): asks for the {@code keyward-opaque-register} required
 * action, so the reset ends with the user registering a new OPAQUE password in the browser. The
 * counterpart of Keycloak's {@code reset-password}, which asks for {@code UPDATE_PASSWORD}: that
 * action would store a server-side Keycloak password, which an OPAQUE realm must not get.
 * <p>
 * The action is added to the authentication session, not to the user: a user who abandons the
 * reset is not forced to change the password at the next normal login.
 * <p>
 * Keycloak silently skips a required action the realm has not registered or has disabled; the
 * reset would then sign the user in without a new password. So this step refuses to complete
 * in such a realm and says so in the log.
 */
public class OpaqueResetAuthenticator implements Authenticator {
    private static final Logger LOG = Logger.getLogger(OpaqueResetAuthenticator.class);

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        RealmModel realm = context.getRealm();
        if (!OpaqueRegisterAction.usableIn(realm)) {
            LOG.warnf(
                    "Realm %s: password reset refused because required action %s is not registered or not enabled",
                    realm.getName(), OpaqueConstants.REGISTER_ACTION_ID);
            context.failure(
                    AuthenticationFlowError.INTERNAL_ERROR,
                    context.form()
                            .setError(OpaqueConstants.MSG_RESET_UNAVAILABLE)
                            .createErrorPage(Response.Status.SERVICE_UNAVAILABLE));
            return;
        }
        context.getAuthenticationSession().addRequiredAction(OpaqueConstants.REGISTER_ACTION_ID);
        context.success();
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        // no form of its own: authenticate() always completes
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    /** Every user can register an OPAQUE password, including one who has none yet. */
    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {}

    @Override
    public void close() {}
}
