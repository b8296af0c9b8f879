package dev.keyward.emailcode;

import dev.keyward.common.BruteForce;
import dev.keyward.common.ExecutionNotes;
import dev.keyward.common.LoginNames;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.common.util.Time;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.messages.Messages;
import org.keycloak.services.resources.LoginActionsService;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * A one-time code sent by email. As a first factor it asks for a username or email itself (or
 * takes the name a reset-credentials "choose user" step collected); as a second factor, or after
 * a username form, it uses the user the flow already has. Page contract ({@code keyward-email-code.ftl},
 * {@code keyward-email-code-identify.ftl}): form POSTs with {@code email_code_op} =
 * {@code identify} (+ {@code username}), {@code verify} (+ {@code code}) or {@code resend}.
 *
 * <p>When mail goes out: once when the step starts (the first GET, or the identify POST), and
 * then only on an explicit resend, within the cooldown and hourly cap ({@link SendLimiter}).
 * Reloading the page or coming back to it shows the page again and sends nothing; the mail holds
 * no link, so nothing a scanner can follow.
 *
 * <p>Enumeration: an unknown name, a disabled or locked user, or one without a usable address
 * takes the same path: same pages and messages, the same limits (keyed by the name's hash), a
 * decoy code that no input can match, and about the time a real send takes ({@link SendTiming}).
 * Only a successful send and an SMTP failure differ, and the latter only while the mail server is down.
 *
 * <p>Brute force: each wrong code for a user who was really sent one is reported to Keycloak's
 * protector (this factory's own reference category would be dropped by Keycloak 26.6+): as
 * {@code otp} when the code is a second factor, as {@code password} when it is the first (see
 * {@link #reportFailure}); so the realm's lockout counts them like wrong passwords, and a locked
 * user's codes are rejected without being compared. A code dies after its wrong attempts, its lifetime,
 * its first success, or the next send.
 */
public class EmailCodeAuthenticator implements Authenticator {
    private static final Logger LOG = Logger.getLogger(EmailCodeAuthenticator.class);
    private static final CodeGenerator CODES = new CodeGenerator(new SecureRandom());
    /** Decoy codes start with a character no alphabet has, and typed codes must be in the alphabet. */
    private static final String DECOY_MARK = "~";

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final KeycloakSession session;

    /** @param session the request's session */
    public EmailCodeAuthenticator(KeycloakSession session) {
        this.session = session;
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
            start(context, settings, given);
        } else if (current == null) {
            context.challenge(identifyPage(context, null));
        } else {
            // reload, back button, "try another way" and back: the page again, no new mail
            context.challenge(codePage(context, settings, current, null));
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
            context.challenge(send(context, settings, current, true));
        } else {
            verify(context, settings, current, form.getFirst(EmailCodeConstants.FIELD_CODE));
        }
    }

    private void identify(AuthenticationFlowContext context, EmailCodeSettings settings, String typed) {
        String name = LoginNames.typed(typed);
        if (name == null) {
            context.getEvent().error(Errors.INVALID_REQUEST);
            context.challenge(identifyPage(context, EmailCodeConstants.MSG_USERNAME_MISSING));
            return;
        }
        RealmModel realm = context.getRealm();
        // like Keycloak's forms: shown as "attempted username" by the theme, and kept for the events
        context.getAuthenticationSession().setAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME, name);
        UserModel user = LoginNames.find(session, realm, name);
        CodeSubject subject = user != null ? CodeSubject.ofUser(user.getId()) : CodeSubject.ofName(realm.getId(), name);
        if (subject.equals(CodeSubject.fromNote(notes(context).get(EmailCodeConstants.NOTE_SUBJECT)))
                && notes(context).get(EmailCodeConstants.NOTE_CODE) != null) {
            // the same name again (back button, resubmitted form): keep the code already sent
            context.challenge(codePage(context, settings, subject, null));
            return;
        }
        start(context, settings, subject);
    }

    /** A new subject: forget any earlier code and send the first one. */
    private void start(AuthenticationFlowContext context, EmailCodeSettings settings, CodeSubject subject) {
        notes(context).remove(EmailCodeConstants.NOTE_CODE);
        notes(context).set(EmailCodeConstants.NOTE_SUBJECT, subject.toNote());
        context.challenge(send(context, settings, subject, false));
    }

    /** Within the limits, a new code replaces the old one; returns the page to show. */
    private Response send(
            AuthenticationFlowContext context, EmailCodeSettings settings, CodeSubject subject, boolean resend) {
        RealmModel realm = context.getRealm();
        EventBuilder event = context.getEvent()
                .clone()
                .event(EventType.SEND_VERIFY_EMAIL)
                .detail(Details.USERNAME, attemptedName(context, subject));
        UserModel user = subject.user() ? session.users().getUserById(realm, subject.id()) : null;
        if (user != null) {
            event.user(user);
        }
        String refusal = refusal(context, settings, user);
        if (refusal != null && !isFirstFactor(context.getAuthenticationSession())) {
            // an earlier factor of this login proved who this is: nothing to hide, say why no mail comes
            event.error(refusal);
            return codePage(context, settings, subject, refusalMessage(refusal));
        }
        SendLimiter limiter = new SendLimiter(session.singleUseObjects());
        CodeSubject sender = cooldownSubject(context, subject);
        String source = isFirstFactor(context.getAuthenticationSession())
                ? SendLimiter.sourceOf(context.getConnection().getRemoteAddr())
                : SendLimiter.PROVEN;
        SendLimiter.Outcome limit = limiter.claim(realm.getId(), sender, subject, source, settings);
        if (limit != SendLimiter.Outcome.ALLOWED) {
            boolean cooldown = limit == SendLimiter.Outcome.COOLDOWN;
            event.detail(Details.REASON, cooldown ? "cooldown" : "hourly_cap").error(Errors.SLOW_DOWN);
            return cooldown
                    ? codePage(
                            context,
                            settings,
                            subject,
                            EmailCodeConstants.MSG_COOLDOWN,
                            settings.resendCooldown().toSeconds())
                    : codePage(
                            context, settings, subject, EmailCodeConstants.MSG_HOURLY_CAP, settings.maxSendsPerHour());
        }

        CodeKeys.Key key = CodeKeys.active(session, realm);
        String code = CODES.next(settings.alphabet(), settings.length());
        long startNanos = System.nanoTime();
        if (refusal == null) {
            try {
                mail(context, settings, user, code);
            } catch (EmailException e) {
                limiter.releaseCooldown(realm.getId(), sender);
                // Keycloak's sender has logged the SMTP error; its message can hold the address, so it stays out
                LOG.warnf("Realm %s: an email code could not be sent (SMTP error logged above)", realm.getName());
                event.detail(Details.EMAIL, user.getEmail()).error(Errors.EMAIL_SEND_FAILED);
                return codePage(context, settings, subject, EmailCodeConstants.MSG_SEND_FAILED);
            }
            SendTiming.record(realm.getId(), System.nanoTime() - startNanos);
            event.detail(Details.EMAIL, user.getEmail())
                    .detail(EmailCodeConstants.DETAIL_OUTCOME, "sent")
                    .success();
        } else {
            code = DECOY_MARK + code;
            SendTiming.imitate(realm.getId(), startNanos);
            event.error(refusal);
        }
        StoredCode stored = StoredCode.issue(code, key.bytes(), key.id(), binding(context, subject), now(), settings);
        notes(context).set(EmailCodeConstants.NOTE_CODE, stored.toNote());
        return resend ? resentPage(context, settings, subject) : codePage(context, settings, subject, null);
    }

    private void verify(
            AuthenticationFlowContext context, EmailCodeSettings settings, CodeSubject subject, String typed) {
        RealmModel realm = context.getRealm();
        StoredCode stored = StoredCode.fromNote(notes(context).get(EmailCodeConstants.NOTE_CODE));
        String attempt = settings.alphabet().normalise(typed);
        context.getEvent().detail(Details.USERNAME, attemptedName(context, subject));
        if (stored == null) {
            // the first send was refused (cooldown, cap, SMTP): nothing to check against
            context.challenge(codePage(context, settings, subject, EmailCodeConstants.MSG_NONE_SENT));
            return;
        }
        if (attempt.isEmpty()) {
            context.challenge(codePage(context, settings, subject, EmailCodeConstants.MSG_MISSING));
            return;
        }
        UserModel user = subject.user() ? session.users().getUserById(realm, subject.id()) : null;
        // null while this user can be sent codes: not missing, disabled, locked or without a usable address
        String refusal = refusal(context, settings, user);
        byte[] key = CodeKeys.byId(session, realm, stored.keyId());
        StoredCode.Verdict verdict =
                key == null ? StoredCode.Verdict.EXPIRED : stored.check(attempt, key, binding(context, subject), now());
        if (verdict == StoredCode.Verdict.MATCH && (refusal != null || !wellFormed(attempt, settings))) {
            // right code for a user who is now locked or disabled (decoys cannot match at all): answered as a wrong one
            verdict = StoredCode.Verdict.MISMATCH;
        }
        if (user != null) {
            context.getEvent().user(user);
        }
        switch (verdict) {
            case MATCH -> succeed(context, settings, user);
            case MISMATCH -> {
                StoredCode next = stored.afterMismatch();
                notes(context).set(EmailCodeConstants.NOTE_CODE, next.toNote());
                if (refusal == null) {
                    // a guess at a code that was really sent; a locked user's tries are not compared, nor counted again
                    reportFailure(context, user, isFirstFactor(context.getAuthenticationSession()));
                }
                boolean locked =
                        Errors.USER_TEMPORARILY_DISABLED.equals(refusal) || Errors.USER_DISABLED.equals(refusal);
                context.getEvent()
                        .detail(EmailCodeConstants.DETAIL_OUTCOME, "invalid")
                        .error(locked ? refusal : Errors.INVALID_CODE);
                context.challenge(codePage(
                        context,
                        settings,
                        subject,
                        next.attemptsLeft() > 0 ? EmailCodeConstants.MSG_INVALID : EmailCodeConstants.MSG_EXHAUSTED));
            }
            case EXPIRED -> {
                context.getEvent()
                        .detail(EmailCodeConstants.DETAIL_OUTCOME, "expired")
                        .error(Errors.EXPIRED_CODE);
                context.challenge(codePage(context, settings, subject, EmailCodeConstants.MSG_EXPIRED));
            }
            case EXHAUSTED -> {
                context.getEvent()
                        .detail(EmailCodeConstants.DETAIL_OUTCOME, "exhausted")
                        .error(Errors.INVALID_CODE);
                context.challenge(codePage(context, settings, subject, EmailCodeConstants.MSG_EXHAUSTED));
            }
        }
    }

    private void succeed(AuthenticationFlowContext context, EmailCodeSettings settings, UserModel user) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        // single use
        notes(context).remove(EmailCodeConstants.NOTE_CODE);
        notes(context).remove(EmailCodeConstants.NOTE_SUBJECT);
        if (!user.isEmailVerified() && settings.markEmailVerified() && isFirstFactor(authSession)) {
            user.setEmailVerified(true);
            context.getEvent()
                    .clone()
                    .event(EventType.VERIFY_EMAIL)
                    .user(user)
                    .detail(Details.EMAIL, user.getEmail())
                    .detail(EmailCodeConstants.DETAIL_OUTCOME, "verified")
                    .success();
        }
        context.setUser(user);
        context.getEvent()
                .user(user)
                .detail(EmailCodeConstants.DETAIL_OUTCOME, "verified")
                .detail(Details.CREDENTIAL_TYPE, EmailCodeConstants.CREDENTIAL_TYPE);
        // with "otp" among the login's credentials Keycloak resets this user's failure counts
        // when the whole login succeeds, as after a right password or authenticator-app code
        AuthenticatorUtil.addAuthCredential(authSession, EmailCodeConstants.SECOND_FACTOR_CATEGORY);
        context.success(EmailCodeConstants.CREDENTIAL_TYPE);
    }

    /**
     * As a second factor a wrong code is an {@code otp} failure: it also counts against the realm's
     * limit for second-factor failures, which disables the account for good once passed (whoever
     * gets here knows the first factor). As the first factor it is a {@code password} failure:
     * counted and locked out exactly like a wrong password, but not against that permanent limit,
     * or anyone who knows a username could disable the account by typing wrong codes.
     */
    private static void reportFailure(AuthenticationFlowContext context, UserModel user, boolean firstFactor) {
        BruteForce.reportFailures(
                context,
                user,
                firstFactor ? EmailCodeConstants.FIRST_FACTOR_CATEGORY : EmailCodeConstants.SECOND_FACTOR_CATEGORY,
                1);
    }

    /**
     * The cooldown is kept per typed name when the user typed one: keyed by the account, a
     * cooldown hit for "alice" right after a send for "alice@example.com" would tell that both
     * name one existing account. (The hourly cap stays per account, to protect its mailbox.)
     */
    private static CodeSubject cooldownSubject(AuthenticationFlowContext context, CodeSubject subject) {
        String typed =
                context.getAuthenticationSession().getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
        return typed == null ? subject : CodeSubject.ofName(context.getRealm().getId(), typed);
    }

    /** What a user who already passed a factor is told when no code can go out. */
    private static String refusalMessage(String refusal) {
        return switch (refusal) {
            case Errors.USER_TEMPORARILY_DISABLED -> Messages.ACCOUNT_TEMPORARILY_DISABLED;
            case Errors.USER_DISABLED -> Messages.ACCOUNT_DISABLED;
            default -> EmailCodeConstants.MSG_NO_ADDRESS;
        };
    }

    /**
     * Why this user gets no mail (an event error), or null when they do: the same answer for a
     * missing user and for one who cannot receive a code, so the page cannot tell them apart.
     */
    private String refusal(AuthenticationFlowContext context, EmailCodeSettings settings, UserModel user) {
        if (user == null) {
            return Errors.USER_NOT_FOUND;
        }
        if (!user.isEnabled()) {
            return Errors.USER_DISABLED;
        }
        String email = user.getEmail();
        if (email == null || email.isBlank()) {
            return Errors.INVALID_EMAIL;
        }
        if (!user.isEmailVerified()
                && !(settings.markEmailVerified() && isFirstFactor(context.getAuthenticationSession()))) {
            return Errors.INVALID_EMAIL;
        }
        return BruteForce.lockError(context, user);
    }

    private void mail(AuthenticationFlowContext context, EmailCodeSettings settings, UserModel user, String code)
            throws EmailException {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("code", code);
        attributes.put("codeLifetimeMinutes", settings.lifetime().toMinutes());
        if (settings.requestDetailsInEmail()) {
            attributes.put("requestTime", REQUEST_TIME.format(now()));
            attributes.put("requestIp", context.getConnection().getRemoteAddr());
        }
        session.getProvider(EmailTemplateProvider.class)
                .setRealm(context.getRealm())
                .setUser(user)
                .setAuthenticationSession(context.getAuthenticationSession())
                .send(
                        EmailCodeConstants.MSG_EMAIL_SUBJECT,
                        List.of(realmDisplayName(context.getRealm())),
                        EmailCodeConstants.TEMPLATE_EMAIL,
                        attributes);
    }

    /** The code page with an error, or (error null) with the "we sent a code" line. */
    private Response codePage(
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
                form.setInfo(EmailCodeConstants.MSG_SENT_IF_EXISTS, attemptedName(context, subject));
            }
        }
        return codeForm(context, form, settings);
    }

    /** The code page after an explicit resend. */
    private Response resentPage(AuthenticationFlowContext context, EmailCodeSettings settings, CodeSubject subject) {
        LoginFormsProvider form = context.form();
        String address = knownAddress(context, subject);
        if (address != null) {
            form.setSuccess(EmailCodeConstants.MSG_RESENT_TO, address);
        } else {
            form.setSuccess(EmailCodeConstants.MSG_RESENT_IF_EXISTS, attemptedName(context, subject));
        }
        return codeForm(context, form, settings);
    }

    private static Response codeForm(
            AuthenticationFlowContext context, LoginFormsProvider form, EmailCodeSettings settings) {
        form.setAttribute("emailCodeReset", LoginActionsService.RESET_CREDENTIALS_PATH.equals(context.getFlowPath()));
        form.setAttribute("emailCodeLength", settings.length());
        form.setAttribute("emailCodeDigits", settings.alphabet() == CodeAlphabet.DIGITS);
        form.setAttribute("emailCodeLifetimeMinutes", settings.lifetime().toMinutes());
        return form.createForm(EmailCodeConstants.TEMPLATE_CODE);
    }

    private Response identifyPage(AuthenticationFlowContext context, String error) {
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
    private String knownAddress(AuthenticationFlowContext context, CodeSubject subject) {
        if (!subject.user() || isFirstFactor(context.getAuthenticationSession())) {
            return null;
        }
        UserModel user = session.users().getUserById(context.getRealm(), subject.id());
        return user == null || user.getEmail() == null ? null : AddressMask.mask(user.getEmail());
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

    private String attemptedName(AuthenticationFlowContext context, CodeSubject subject) {
        String attempted =
                context.getAuthenticationSession().getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
        if (attempted != null) {
            return attempted;
        }
        UserModel user = subject.user() ? session.users().getUserById(context.getRealm(), subject.id()) : null;
        return user == null ? "" : user.getUsername();
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

    private static boolean wellFormed(String attempt, EmailCodeSettings settings) {
        if (attempt.length() != settings.length()) {
            return false;
        }
        String chars = settings.alphabet().characters();
        return attempt.chars().allMatch(c -> chars.indexOf(c) >= 0);
    }

    /** True until a factor of this login has succeeded (a username form does not count). */
    private static boolean isFirstFactor(AuthenticationSessionModel authSession) {
        return AuthenticatorUtil.getAuthnCredentials(authSession).isEmpty();
    }

    private static String binding(AuthenticationFlowContext context, CodeSubject subject) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        return StoredCode.binding(
                context.getRealm().getId(),
                subject.toNote(),
                authSession.getParentSession().getId() + "." + authSession.getTabId());
    }

    private static String realmDisplayName(RealmModel realm) {
        String display = realm.getDisplayName();
        return display != null && !display.isBlank() ? display : realm.getName();
    }

    /** Keycloak's clock, so a server-wide time offset moves code expiry too. */
    private static Instant now() {
        return Instant.ofEpochMilli(Time.currentTimeMillis());
    }

    private static ExecutionNotes notes(AuthenticationFlowContext context) {
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
