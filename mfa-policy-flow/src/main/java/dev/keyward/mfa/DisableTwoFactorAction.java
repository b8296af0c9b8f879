package dev.keyward.mfa;

import java.util.Set;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;

/**
 * "Disable two-factor sign-in" ({@code keyward-disable-two-factor}), application-initiated
 * ({@code kc_action}): it always re-authenticates first ({@link #getMaxAuthAge}), and since the
 * user has two-factor sign-in on, that login proves two methods. The page asks to confirm; the
 * action switches {@code two_factor_enabled} off only if two methods were proven in the last few
 * minutes, so a session that merely carries an old two-factor login cannot.
 */
public class DisableTwoFactorAction implements RequiredActionProvider {
    static final String TEMPLATE = "keyward-disable-two-factor.ftl";
    static final String FIELD_CONFIRM = "keyward_2fa_disable";

    private final KeycloakSession session;

    /** @param session the request's session */
    public DisableTwoFactorAction(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    /** Always re-authenticate: turning protection off needs a fresh two-factor login. */
    @Override
    public int getMaxAuthAge(KeycloakSession session) {
        return 0;
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        if (!TwoFactorConstants.ON.equals(context.getUser().getFirstAttribute(TwoFactorConstants.ATTRIBUTE))) {
            context.success();
            return;
        }
        context.challenge(context.form().setAttribute("keywardFreshTwoFactor", fresh(context)).createForm(TEMPLATE));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        UserModel user = context.getUser();
        boolean confirmed = context.getHttpRequest().getDecodedFormParameters().containsKey(FIELD_CONFIRM);
        if (!confirmed || !fresh(context)) {
            requiredActionChallenge(context);
            return;
        }
        user.removeAttribute(TwoFactorConstants.ATTRIBUTE);
        context.getEvent().detail(Details.CUSTOM_REQUIRED_ACTION, DisableTwoFactorActionFactory.ID).detail("two_factor", "off");
        context.success();
    }

    private boolean fresh(RequiredActionContext context) {
        Set<LocalMethod> proven = ProvenMethods.since(context.getRealm(), context.getAuthenticationSession(),
                Time.currentTime() - Constants.KC_ACTION_MAX_AGE);
        return UsableMethods.enoughForTwoFactor(proven);
    }

    @Override
    public void close() {
    }
}
