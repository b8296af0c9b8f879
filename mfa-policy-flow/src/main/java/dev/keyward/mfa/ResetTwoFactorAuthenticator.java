package dev.keyward.mfa;

import java.util.EnumSet;
import java.util.Set;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.models.KeycloakSession;

/**
 * Reset-credentials step, after the emailed link and before the new password: a user with
 * two-factor sign-in on must also prove a method that does not rest on the mailbox. The link
 * proved the mailbox, and the password is what the user lost, so that method is a passkey. With
 * a passkey the reset goes on, and the login it ends in is two-factor (mailbox and passkey); a
 * two-factor user without a usable passkey (password and email code) is refused with a page that
 * sends them to an administrator, an event, and nothing changed: otherwise whoever reads the
 * mailbox would hold both of that user's factors. Users without two-factor sign-in pass untouched.
 */
public class ResetTwoFactorAuthenticator extends MethodStepAuthenticator {
    static final String MSG_NEEDS_PASSKEY = "keywardResetNeedsPasskey";

    /** @param session the request's session */
    public ResetTwoFactorAuthenticator(KeycloakSession session) {
        super(session);
    }

    @Override
    protected boolean applies(AuthenticationFlowContext context) {
        return twoFactorOn(context.getUser());
    }

    @Override
    protected Set<LocalMethod> provenBefore(AuthenticationFlowContext context) {
        return EnumSet.noneOf(LocalMethod.class);
    }

    @Override
    protected Set<LocalMethod> eligible(AuthenticationFlowContext context, Set<LocalMethod> usable) {
        return usable.contains(LocalMethod.PASSKEY)
                ? EnumSet.of(LocalMethod.PASSKEY)
                : EnumSet.noneOf(LocalMethod.class);
    }

    @Override
    protected boolean enough(Set<LocalMethod> before, Set<LocalMethod> here, Set<LocalMethod> usable) {
        return here.contains(LocalMethod.PASSKEY);
    }

    @Override
    protected void refuse(AuthenticationFlowContext context) {
        refuseWith(context, "two-factor user without a passkey", MSG_NEEDS_PASSKEY);
    }

    @Override
    protected void reached(AuthenticationFlowContext context) {
        recordTwoFactorLevel(context);
    }
}
