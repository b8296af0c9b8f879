package dev.keyward.emailcode;

import dev.keyward.common.ExecutionNotes;
import dev.keyward.common.LoginNames;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.events.Errors;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.LoginActionsService;

/**
 * A one-time code sent by email. As a first factor it asks for a username or email itself (or
 * takes the name a reset-credentials "choose user" step collected); as a second factor, or after
 * a username form, it uses the user the flow already has. Page contract ({@code keyward-email-code.ftl},
 * {@code keyward-email-code-identify.ftl}): form POSTs with {@code email_code_op} =
 * {@code identify} (+ {@code username}), {@code verify} (+ {@code code}) or {@code resend}. This
 * class dispatches them; {@link CodeSender} sends, {@link CodeVerifier} checks, {@link EmailCodePages}
 * renders.
 *
 * <p>When mail goes out: once when the step starts (the first GET, or the identify POST), and
 * then only on an explicit resend, within the cooldown and hourly cap ({@link SendLimiter}).
 * Reloading the page or coming back to it shows the page again and sends nothing; the mail holds
 * no link, so nothing a scanner can follow.
 *
 * <p>Enumeration: an unknown name, a disabled or locked user, or one without a usable address
 * takes the same path: same pages and messages, the same limits (keyed by the name's hash), a
 * decoy code that no input can match, and the same work on the request: as a first factor the
 * mail is rendered for both and a real one is sent after the answer ({@link FirstFactorMail}), so
 * neither the SMTP exchange's time nor its failure shows.
 *
 * <p>Brute force: each wrong code for a user who was really sent one is reported to Keycloak's
 * protector (this factory's own reference category would be dropped by Keycloak 26.6+): as
 * {@code otp} when the code is a second factor, as {@code password} when it is the first (see
 * {@link CodeVerifier}); so the realm's lockout counts them like wrong passwords, and a locked
 * user's codes are rejected without being compared. A code dies after its wrong attempts, its lifetime,
 * its first success, or the next send.
 */
public class EmailCodeAuthenticator implements Authenticator {
    private static final Logger LOG = Logger.getLogger(EmailCodeAuthenticator.class);

    private final CodeSender sender;

    EmailCodeAuthenticator(FirstFactorMail firstFactorMail) {
        this.sender = new CodeSender(firstFactorMail);
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        EmailCodeSettings settings = settings(context);
        if (settings == null) {
            return;
        }
        CodeSubject given = givenSubject(context);
        CodeSubject current = CodeSubject.fromNote(notes(context).get(EmailCodeConstants.NOTE_SUBJECT));
        if (given != null && !given.equals(current)) {
            sender.start(context, settings, given);
        } else if (current == null) {
            context.challenge(EmailCodePages.identifyPage(context, null));
        } else {
            // reload, back button, "try another way" and back: the page again, no new mail
            context.challenge(EmailCodePages.codePage(context, settings, current, null));
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        EmailCodeSettings settings = settings(context);
        if (settings == null) {
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        String op = form.getFirst(EmailCodeConstants.FIELD_OP);
        CodeSubject current = CodeSubject.fromNote(notes(context).get(EmailCodeConstants.NOTE_SUBJECT));
        CodeSubject given = givenSubject(context);
        if (EmailCodeConstants.OP_IDENTIFY.equals(op) && given == null) {
            identify(context, settings, form.getFirst(EmailCodeConstants.FIELD_USERNAME));
        } else if (current == null || (given != null && !given.equals(current))) {
            // no code yet, or one sent to someone other than the login's user now (a second
            // identity-provider login can change the user mid-flow): start for the user the flow has
            authenticate(context);
        } else if (EmailCodeConstants.OP_RESEND.equals(op)) {
            context.challenge(sender.send(context, settings, current, true));
        } else {
            CodeVerifier.verify(context, settings, current, form.getFirst(EmailCodeConstants.FIELD_CODE));
        }
    }

    private void identify(AuthenticationFlowContext context, EmailCodeSettings settings, String typed) {
        String name = LoginNames.typed(typed);
        if (name == null) {
            context.getEvent().error(Errors.INVALID_REQUEST);
            context.challenge(EmailCodePages.identifyPage(context, EmailCodeConstants.MSG_USERNAME_MISSING));
            return;
        }
        RealmModel realm = context.getRealm();
        // like Keycloak's forms: shown as "attempted username" by the theme, and kept for the events
        context.getAuthenticationSession().setAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME, name);
        UserModel user = LoginNames.find(context.getSession(), realm, name);
        CodeSubject subject = user != null ? CodeSubject.ofUser(user.getId()) : CodeSubject.ofName(realm.getId(), name);
        if (subject.equals(CodeSubject.fromNote(notes(context).get(EmailCodeConstants.NOTE_SUBJECT)))
                && notes(context).get(EmailCodeConstants.NOTE_CODE) != null) {
            // the same name again (back button, resubmitted form): keep the code already sent
            context.challenge(EmailCodePages.codePage(context, settings, subject, null));
            return;
        }
        sender.start(context, settings, subject);
    }

    /** The user an earlier step named: a preceding factor or username form, or reset's "choose user". */
    private CodeSubject givenSubject(AuthenticationFlowContext context) {
        if (context.getUser() != null) {
            return CodeSubject.ofUser(context.getUser().getId());
        }
        String attempted =
                context.getAuthenticationSession().getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
        if (LoginActionsService.RESET_CREDENTIALS_PATH.equals(context.getFlowPath()) && attempted != null) {
            // "choose user" found nobody and, to hide that, let the flow go on without a user
            return CodeSubject.ofName(context.getRealm().getId(), attempted);
        }
        return null;
    }

    /** The execution's settings; null after showing an error page when an admin set a value out of bounds. */
    private EmailCodeSettings settings(AuthenticationFlowContext context) {
        AuthenticatorConfigModel config = context.getAuthenticatorConfig();
        try {
            return EmailCodeSettings.from(config == null ? null : config.getConfig());
        } catch (InvalidSettingException e) {
            LOG.errorf(
                    "Realm %s, authenticator config %s: %s",
                    context.getRealm().getName(), config.getAlias(), e.getMessage());
            context.getEvent().error(Errors.INVALID_CONFIG);
            context.challenge(context.form()
                    .setError(EmailCodeConstants.MSG_UNAVAILABLE)
                    .createErrorPage(Response.Status.INTERNAL_SERVER_ERROR));
            return null;
        }
    }

    static ExecutionNotes notes(AuthenticationFlowContext context) {
        return ExecutionNotes.of(context, EmailCodeConstants.NOTE_PREFIX);
    }

    @Override
    public boolean requiresUser() {
        // as a first factor it finds the user itself
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return EmailCodeCredentialProvider.hasUsableAddress(user);
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
        // an address is set and verified through Keycloak's own profile and verify-email actions
    }

    @Override
    public void close() {}
}
