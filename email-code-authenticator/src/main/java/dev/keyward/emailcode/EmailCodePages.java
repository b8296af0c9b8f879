package dev.keyward.emailcode;

import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.LoginActionsService;
import org.keycloak.sessions.AuthenticationSessionModel;

/** The email-code pages (identify, code, resent) and what they may show of the user. */
final class EmailCodePages {
    private EmailCodePages() {}

    /** The code page with an error, or (error null) with the "we sent a code" line. */
    static Response codePage(
            AuthenticationFlowContext context,
            EmailCodeSettings settings,
            CodeSubject subject,
            String error,
            Object... params) {
        LoginFormsProvider form = context.form();
        if (error != null) {
            form.setError(error, params);
        } else {
            String address = knownAddress(context, subject);
            if (address != null) {
                form.setInfo(EmailCodeConstants.MSG_SENT_TO, address);
            } else {
                // no parameter: the typed name is never echoed (see attemptedName)
                form.setInfo(EmailCodeConstants.MSG_SENT_IF_EXISTS);
            }
        }
        return codeForm(context, form, settings);
    }

    /** The code page after an explicit resend. */
    static Response resentPage(AuthenticationFlowContext context, EmailCodeSettings settings, CodeSubject subject) {
        LoginFormsProvider form = context.form();
        String address = knownAddress(context, subject);
        if (address != null) {
            form.setSuccess(EmailCodeConstants.MSG_RESENT_TO, address);
        } else {
            form.setSuccess(EmailCodeConstants.MSG_RESENT_IF_EXISTS);
        }
        return codeForm(context, form, settings);
    }

    static Response codeForm(AuthenticationFlowContext context, LoginFormsProvider form, EmailCodeSettings settings) {
        form.setAttribute("emailCodeReset", LoginActionsService.RESET_CREDENTIALS_PATH.equals(context.getFlowPath()));
        form.setAttribute("emailCodeLength", settings.length());
        form.setAttribute("emailCodeDigits", settings.alphabet() == CodeAlphabet.DIGITS);
        form.setAttribute("emailCodeLifetimeMinutes", settings.lifetime().toMinutes());
        return form.createForm(EmailCodeConstants.TEMPLATE_CODE);
    }

    static Response identifyPage(AuthenticationFlowContext context, String error) {
        LoginFormsProvider form = context.form();
        if (error != null) {
            form.setError(error);
        }
        return form.createForm(EmailCodeConstants.TEMPLATE_IDENTIFY);
    }

    /**
     * The masked address, only when an earlier factor of this login proved who the user is:
     * before that, showing it would tell anyone who types a name where its owner gets mail.
     */
    static String knownAddress(AuthenticationFlowContext context, CodeSubject subject) {
        if (!subject.user() || isFirstFactor(context.getAuthenticationSession())) {
            return null;
        }
        UserModel user = context.getSession().users().getUserById(context.getRealm(), subject.id());
        return user == null || user.getEmail() == null ? null : AddressMask.mask(user.getEmail());
    }

    /**
     * The name typed for this login (else the subject's username), for events and the decoy mail.
     * Never a page message parameter: under Keycloak's base and keycloak themes, messages are
     * printed through kcSanitize with their parameters unescaped, so markup typed here would render.
     */
    static String attemptedName(AuthenticationFlowContext context, CodeSubject subject) {
        String attempted =
                context.getAuthenticationSession().getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
        if (attempted != null) {
            return attempted;
        }
        UserModel user =
                subject.user() ? context.getSession().users().getUserById(context.getRealm(), subject.id()) : null;
        return user == null ? "" : user.getUsername();
    }

    /** True until a factor of this login has succeeded (a username form does not count). */
    static boolean isFirstFactor(AuthenticationSessionModel authSession) {
        return AuthenticatorUtil.getAuthnCredentials(authSession).isEmpty();
    }
}
