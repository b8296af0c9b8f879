package dev.keyward.mfa;

import java.util.EnumSet;
import java.util.Set;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.models.KeycloakSession;

/**
 * First-broker-login step, after Keycloak's email verification of the existing account
 * ({@code idp-email-verification}, which sets that account as the login's user): linking an
 * identity-provider account to a local account with two-factor sign-in on needs that account's
 * full two-factor sign-in. The confirmed link proved the mailbox, which counts as the email-code
 * method when the account has that method; the step then asks for the account's other methods
 * until two different usable ones are proven. Email proof alone never links such an account, and
 * the login it ends in is two-factor. Accounts without two-factor sign-in pass untouched.
 */
public class LinkTwoFactorAuthenticator extends MethodStepAuthenticator {
    static final String MSG_CANNOT_LINK = "keywardLinkNeedsTwoMethods";

    /** @param session the request's session */
    public LinkTwoFactorAuthenticator(KeycloakSession session) {
        super(session);
    }

    @Override
    protected boolean applies(AuthenticationFlowContext context) {
        return twoFactorOn(context.getUser());
    }

    @Override
    protected Set<LocalMethod> provenBefore(AuthenticationFlowContext context) {
        Set<LocalMethod> usable = UsableMethods.of(session, context.getRealm(), context.getUser());
        return usable.contains(LocalMethod.EMAIL_CODE) && !mailboxUnverified(context)
                ? EnumSet.of(LocalMethod.EMAIL_CODE)
                : EnumSet.noneOf(LocalMethod.class);
    }

    /** An address the account had not verified proves nothing, and its code is not asked for either. */
    @Override
    protected Set<LocalMethod> eligible(AuthenticationFlowContext context, Set<LocalMethod> usable) {
        if (!mailboxUnverified(context)) {
            return usable;
        }
        Set<LocalMethod> others = EnumSet.noneOf(LocalMethod.class);
        others.addAll(usable);
        others.remove(LocalMethod.EMAIL_CODE);
        return others;
    }

    private static boolean mailboxUnverified(AuthenticationFlowContext context) {
        return BoundIdpVerifyAccountLinkActionTokenHandler.confirmedThroughUnverifiedAddress(
                context.getAuthenticationSession(), context.getUser());
    }

    @Override
    protected boolean enough(Set<LocalMethod> before, Set<LocalMethod> here, Set<LocalMethod> usable) {
        Set<LocalMethod> proven = EnumSet.noneOf(LocalMethod.class);
        proven.addAll(before);
        proven.addAll(here);
        proven.retainAll(usable);
        return UsableMethods.enoughForTwoFactor(proven);
    }

    @Override
    protected void refuse(AuthenticationFlowContext context) {
        refuseWith(context, "two-factor account without two usable methods", MSG_CANNOT_LINK);
    }

    @Override
    protected void reached(AuthenticationFlowContext context) {
        recordTwoFactorLevel(context);
    }
}
