package dev.keyward.mfa;

import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.events.Details;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;

/**
 * "Disable two-factor sign-in" ({@code keyward-disable-two-factor}), application-initiated
 * ({@code kc_action}): it always re-authenticates first ({@link #getMaxAuthAge}), and since the
 * user has two-factor sign-in on, that login proves two methods. The page asks to confirm; the
 * action switches {@code two_factor_enabled} off only if two methods were proven in the last few
 * minutes, so a session that merely carries an old two-factor login cannot.
 */
public class DisableTwoFactorAction extends TwoFactorSwitch {
    static final String TEMPLATE = "keyward-disable-two-factor.ftl";
    static final String FIELD_CONFIRM = "keyward_2fa_disable";

    /** @param session the request's session */
    public DisableTwoFactorAction(KeycloakSession session) {
        super(session);
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        if (!TwoFactorConstants.ON.equals(context.getUser().getFirstAttribute(TwoFactorConstants.ATTRIBUTE))) {
            context.success();
            return;
        }
        context.challenge(context.form()
                .setAttribute("keywardFreshTwoFactor", fresh(context))
                .createForm(TEMPLATE));
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
        context.getEvent()
                .detail(Details.CUSTOM_REQUIRED_ACTION, DisableTwoFactorActionFactory.ID)
                .detail("two_factor", "off");
        context.success();
    }

    private boolean fresh(RequiredActionContext context) {
        return UsableMethods.enoughForTwoFactor(provenRecently(context));
    }
}
