package dev.keyward.approval;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.authenticators.broker.AbstractIdpAuthenticator;
import org.keycloak.authentication.authenticators.broker.util.SerializedBrokeredIdentityContext;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.events.Details;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * First-broker-login step, after the account was created or linked: an account this login just
 * created ({@code BROKER_REGISTERED_NEW_USER}) for a provider with {@value ApprovalOption#KEY}
 * {@code true} becomes a {@link PendingSignup}: disabled, the identity kept in attributes, the
 * approvers told (event, mail), and the login ends on the pending page. A linked existing account
 * passes untouched.
 *
 * <p>The login never leaves this step: the flow would otherwise go on to Keycloak's {@code
 * afterFirstBrokerLogin}, which links the identity and starts a session. The account stays in the
 * database because a challenge commits the request's transaction.
 */
public class SignupApprovalAuthenticator extends AbstractIdpAuthenticator {
    /** Event detail naming this pack's part in a {@code REGISTER} event. */
    static final String DETAIL_APPROVAL = "keyward_approval";
    /**
     * The auth note Keycloak's {@code idp-create-user-if-unique} sets when it created the account in
     * this login (a compile-time constant there, not public API, so named here).
     */
    static final String REGISTERED_NEW_USER = "BROKER_REGISTERED_NEW_USER";

    @Override
    protected void authenticateImpl(
            AuthenticationFlowContext context,
            SerializedBrokeredIdentityContext serializedCtx,
            BrokeredIdentityContext broker) {
        if (PendingSignupCheckAuthenticator.waiting(context, broker).isPresent()) {
            // the page reloaded (Keycloak runs the challenged step again): no second event or mail
            context.challenge(PendingPage.of(context, broker));
            return;
        }
        UserModel user = context.getUser();
        if (user == null) {
            // the account step always sets one; none means the account went away under this tab (denied)
            context.failure(AuthenticationFlowError.INVALID_USER);
            return;
        }
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        boolean created = "true".equals(authSession.getAuthNote(REGISTERED_NEW_USER));
        if (!created || !ApprovalOption.required(broker.getIdpConfig().getConfig())) {
            context.success();
            return;
        }
        PendingSignup pending =
                new PendingSignup(broker.getIdpConfig().getAlias(), broker.getId(), broker.getUsername());
        user.setEnabled(false);
        pending.attributes().forEach(user::setSingleAttribute);

        // Keycloak's own REGISTER for a broker sign-up comes only when the flow completes, which it will not
        context.getEvent()
                .clone()
                .event(EventType.REGISTER)
                .user(user)
                .detail(Details.REGISTER_METHOD, "broker")
                .detail(Details.IDENTITY_PROVIDER, pending.identityProvider())
                .detail(Details.IDENTITY_PROVIDER_USERNAME, pending.identityProviderUsername())
                .detail(Details.USERNAME, user.getUsername())
                .detail(DETAIL_APPROVAL, PendingSignup.PENDING)
                .success();
        if (notifyByEmail(context.getAuthenticatorConfig())) {
            ApproverNotice.queue(context, user, pending);
        }
        // Keycloak checks the tab's user on every request and would answer a reload with its own "account is
        // disabled" page: the tab forgets the account, and a reload finds the sign-up as waiting (above)
        authSession.removeAuthNote(REGISTERED_NEW_USER);
        authSession.setAuthenticatedUser(null);
        context.challenge(PendingPage.of(context, broker));
    }

    @Override
    protected void actionImpl(
            AuthenticationFlowContext context,
            SerializedBrokeredIdentityContext serializedCtx,
            BrokeredIdentityContext broker) {
        // the page has no form; a replayed post changes nothing. Once approved or denied, this tab ends
        // (INVALID_USER): the next login through the provider finds the link approval made, or signs up anew.
        if (PendingSignupCheckAuthenticator.waiting(context, broker).isPresent()) {
            context.challenge(PendingPage.of(context, broker));
        } else {
            context.failure(AuthenticationFlowError.INVALID_USER);
        }
    }

    static boolean notifyByEmail(AuthenticatorConfigModel config) {
        if (config == null || config.getConfig() == null) {
            return true;
        }
        String value = config.getConfig().get(SignupApprovalAuthenticatorFactory.NOTIFY_BY_EMAIL);
        return value == null || !value.trim().equalsIgnoreCase("false");
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }
}
