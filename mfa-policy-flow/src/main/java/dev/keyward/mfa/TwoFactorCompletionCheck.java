package dev.keyward.mfa;

import jakarta.ws.rs.core.Response;
import java.util.Objects;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.authentication.authenticators.broker.AbstractIdpAuthenticator;
import org.keycloak.authentication.authenticators.util.AcrStore;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.Constants;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The last word on every login, whatever flow, client or provider led to it: a user with two-factor
 * sign-in on gets a session only when this login proved two of that user's methods
 * ({@link TwoFactorProof}), continues that user's own session (SSO cookie), or came through an
 * identity provider the realm trusts to stand in for local two-factor. Anything else stops on an
 * error page before a session exists, with an event.
 *
 * <p>Why a required action: Keycloak evaluates the triggers of every enabled required action after
 * every flow that ends in a session (browser, its client overrides, reset credentials, first and
 * post broker login, device verification), and also for the password grant, which then refuses as
 * "account not fully set up". The pack's own flows already hold the rule; this catches flows an admin
 * binds to a client (Keycloak's own browser or direct-grant flow, say) and a tab whose user changes
 * mid-flow (Keycloak lets a second identity-provider login replace the user without restarting the
 * post-broker-login flow, so steps that succeeded for the first user are skipped for the second).
 *
 * <p>A provider is trusted when its post-broker-login flow has no
 * {@value BrokerSecondFactorAuthenticatorFactory#ID} step (the export's {@code keyward post broker
 * login}, or none at all), and never when the login linked an existing account in its first broker
 * login: linking a two-factor account needs that account's two factors. A provider login without a
 * proof is recorded at the federated level, even if an earlier login of the tab reached more.
 */
public class TwoFactorCompletionCheck implements RequiredActionProvider {
    /** Set by Keycloak's create-user step of a first broker login when it made a new account. */
    private static final String BROKER_REGISTERED_NEW_USER = "BROKER_REGISTERED_NEW_USER";

    private static final String MSG_INCOMPLETE = "keywardSignInIncomplete";

    private final KeycloakSession session;

    TwoFactorCompletionCheck(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.NOT_SUPPORTED;
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (TwoFactorCompletionCheckFactory.ID.equals(authSession.getClientNote(Constants.KC_ACTION))) {
            // Keycloak answers a kc_action an action does not support by putting that action on the
            // login's ignore list, which skips its triggers too: drop the request before Keycloak
            // reads it (triggers run first) and report it failed, as Keycloak would
            authSession.removeClientNote(Constants.KC_ACTION);
            authSession.setClientNote(
                    Constants.KC_ACTION_STATUS,
                    RequiredActionContext.KcActionStatus.ERROR.name().toLowerCase());
        }
        UserModel user = context.getUser();
        if (user == null || continuesOwnSession(context.getRealm(), authSession, user)) {
            return;
        }
        boolean proven = TwoFactorProof.holds(authSession, user);
        String provider = authSession.getUserSessionNotes().get(Details.IDENTITY_PROVIDER);
        if (provider != null && !proven) {
            AcrStore acr = new AcrStore(session, authSession);
            if (acr.getLevelOfAuthenticationFromCurrentAuthentication() > FederatedLoginAuthenticator.FEDERATED_LOA) {
                acr.setLevelAuthenticatedToCurrentRequest(FederatedLoginAuthenticator.FEDERATED_LOA);
            }
        }
        if (!MethodStepAuthenticator.twoFactorOn(user)
                || proven
                || (provider != null && trusted(context.getRealm(), provider) && !linkedExistingAccount(authSession))) {
            return;
        }
        authSession.addRequiredAction(TwoFactorCompletionCheckFactory.ID);
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        context.getEvent()
                .detail(Details.REASON, "sign-in without the user's two-factor proof")
                .error(Errors.NOT_ALLOWED);
        context.challenge(context.form().setError(MSG_INCOMPLETE).createErrorPage(Response.Status.FORBIDDEN));
    }

    /** Nothing to submit: the page has no form, and a crafted post gets the same refusal. */
    @Override
    public void processAction(RequiredActionContext context) {
        requiredActionChallenge(context);
    }

    /** A cookie login of the user whose session the cookie names: that session passed this check when it began. */
    private boolean continuesOwnSession(RealmModel realm, AuthenticationSessionModel authSession, UserModel user) {
        if (!"true".equals(authSession.getAuthNote(AuthenticationManager.SSO_AUTH))) {
            return false;
        }
        AuthenticationManager.AuthResult cookie =
                AuthenticationManager.authenticateIdentityCookie(session, realm, true);
        return cookie != null && Objects.equals(cookie.getUser().getId(), user.getId());
    }

    private boolean trusted(RealmModel realm, String alias) {
        IdentityProviderModel provider = session.identityProviders().getByAlias(alias);
        if (provider == null) {
            return false;
        }
        String flowId = provider.getPostBrokerLoginFlowId();
        return flowId == null || !hasStep(realm, flowId, BrokerSecondFactorAuthenticatorFactory.ID);
    }

    private static boolean hasStep(RealmModel realm, String flowId, String authenticator) {
        return realm.getAuthenticationExecutionsStream(flowId)
                .anyMatch(e -> e.getRequirement() != AuthenticationExecutionModel.Requirement.DISABLED
                        && (authenticator.equals(e.getAuthenticator())
                                || (e.isAuthenticatorFlow() && hasStep(realm, e.getFlowId(), authenticator))));
    }

    private static boolean linkedExistingAccount(AuthenticationSessionModel authSession) {
        return authSession.getAuthNote(AbstractIdpAuthenticator.FIRST_BROKER_LOGIN_SUCCESS) != null
                && !"true".equals(authSession.getAuthNote(BROKER_REGISTERED_NEW_USER));
    }

    @Override
    public void close() {}
}
