package dev.keyward.approval;

import java.util.Optional;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.broker.AbstractIdpAuthenticator;
import org.keycloak.authentication.authenticators.broker.util.SerializedBrokeredIdentityContext;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * First-broker-login step, first in the flow: an identity whose sign-up still waits for approval
 * sees the pending page again. Without it the next login through the provider (no link yet, see
 * {@link PendingSignup}) would meet its own waiting account as an "existing account" and be offered
 * to link to it. Anyone else passes.
 */
public class PendingSignupCheckAuthenticator extends AbstractIdpAuthenticator {
    @Override
    protected void authenticateImpl(
            AuthenticationFlowContext context,
            SerializedBrokeredIdentityContext serializedCtx,
            BrokeredIdentityContext broker) {
        if (waiting(context, broker).isPresent()) {
            context.challenge(PendingPage.of(context, broker));
        } else {
            context.success();
        }
    }

    @Override
    protected void actionImpl(
            AuthenticationFlowContext context,
            SerializedBrokeredIdentityContext serializedCtx,
            BrokeredIdentityContext broker) {
        authenticateImpl(context, serializedCtx, broker);
    }

    static Optional<UserModel> waiting(AuthenticationFlowContext context, BrokeredIdentityContext broker) {
        String alias = broker.getIdpConfig().getAlias();
        String id = broker.getId();
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        return context.getSession()
                .users()
                .searchForUserByUserAttributeStream(context.getRealm(), PendingSignup.IDENTITY_PROVIDER_USER_ID, id)
                .filter(u -> Approvals.pending(context.getSession(), context.getRealm(), u)
                        .map(p -> p.isFor(alias, id))
                        .orElse(false))
                .findFirst();
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
