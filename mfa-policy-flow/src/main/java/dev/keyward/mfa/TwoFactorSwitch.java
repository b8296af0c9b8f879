package dev.keyward.mfa;

import java.util.Set;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;

/**
 * What the enable and disable actions share: both can be application-initiated, both always
 * re-authenticate first, and both look at the methods the login proved in the last few minutes.
 */
abstract class TwoFactorSwitch implements RequiredActionProvider {
    protected final KeycloakSession session;

    TwoFactorSwitch(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    /**
     * Always re-authenticate when application-initiated: the proof must be this login's. Keycloak
     * re-authenticates when {@code authTime + maxAge < now} in whole seconds, so 0 would skip it for
     * an action started in the same second as the last login; -1 makes it unconditional.
     */
    @Override
    public int getMaxAuthAge(KeycloakSession session) {
        return -1;
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {}

    /**
     * Methods proven by this login (or the session it continues) within the action's proof age
     * ({@code proofSeconds}, by default Keycloak's action age of 5 minutes).
     */
    static Set<LocalMethod> provenRecently(RequiredActionContext context) {
        int seconds = TwoFactorSwitchFactory.proofSeconds(context.getConfig());
        return ProvenMethods.since(
                context.getRealm(), context.getAuthenticationSession(), Time.currentTime() - seconds);
    }

    @Override
    public void close() {}
}
