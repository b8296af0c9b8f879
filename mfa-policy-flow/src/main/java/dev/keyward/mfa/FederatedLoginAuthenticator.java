package dev.keyward.mfa;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.broker.util.PostBrokerLoginConstants;
import org.keycloak.authentication.authenticators.util.AcrStore;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Post-broker-login step: records that this login was done by an external identity provider, as
 * level of authentication {@value #FEDERATED_LOA}, which the realm's {@code acr.loa.map} names
 * {@code federated}. Such logins never run the browser flow's forms, so no local factor (and no
 * local second factor) was checked, and tokens must not claim one.
 *
 * <p>Why this is enough, in Keycloak 26.7: the level lives in the authentication session's {@code
 * level-of-authentication} note; the post-broker-login flow is the last thing that runs before the
 * session is attached ({@code IdentityBrokerService.finishBrokerAuthentication}, then required
 * actions, which do not touch it but {@link TwoFactorCompletionCheck}), and {@code
 * TokenManager.attachAuthenticationSession} copies the note into the client session, where {@code
 * AcrProtocolMapper} maps it through {@code acr.loa.map}. A first broker login that linked a
 * two-factor account after that account's full two-factor sign-in ({@link LinkTwoFactorAuthenticator})
 * already proved level 2 in this login and keeps it, if the proof is this user's ({@link
 * TwoFactorProof}). The post-broker flow's {@code authenticationComplete} is Keycloak's broker
 * variant, which does not apply a client policy's flow level either. Nothing is added to the
 * session's map of authenticated levels, so a later SSO (cookie) login in a session a federated
 * login started finds no earlier level ({@code CookieAuthenticator} records level -1, from {@code
 * AcrStore.getHighestAuthenticatedLevelFromPreviousAuthentication}) and {@code AcrProtocolMapper}
 * maps an SSO login below level 0 to level 0: {@code federated} again.
 */
public class FederatedLoginAuthenticator implements Authenticator {
    private static final Logger LOG = Logger.getLogger(FederatedLoginAuthenticator.class);

    /** The level a federated login gets; {@code "federated": 0} in {@code acr.loa.map}. */
    public static final int FEDERATED_LOA = 0;

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        if (context.getAuthenticationSession().getAuthNote(PostBrokerLoginConstants.PBL_BROKERED_IDENTITY_CONTEXT)
                == null) {
            // anywhere else (e.g. a browser flow) it would lower a local login's acr: refuse instead of guessing
            LOG.warnf(
                    "Realm %s: %s runs only in an identity provider's post broker login flow",
                    context.getRealm().getName(), FederatedLoginAuthenticatorFactory.ID);
            context.failure(AuthenticationFlowError.INTERNAL_ERROR);
            return;
        }
        AcrStore acr = new AcrStore(context.getSession(), context.getAuthenticationSession());
        // a link that needed this account's full two-factor sign-in (LinkTwoFactorAuthenticator) keeps its
        // level; a level some other user of this tab reached does not
        if (!TwoFactorProof.holds(context.getAuthenticationSession(), context.getUser())) {
            acr.setLevelAuthenticatedToCurrentRequest(FEDERATED_LOA);
        }
        context.success();
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        // no page of its own
        authenticate(context);
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    /** Nothing to set up: every brokered user qualifies. */
    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {}

    @Override
    public void close() {}
}
