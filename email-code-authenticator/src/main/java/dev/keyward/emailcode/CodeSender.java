package dev.keyward.emailcode;

import dev.keyward.common.BruteForce;
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
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.common.util.Time;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.Event;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.light.LightweightUserAdapter;
import org.keycloak.services.messages.Messages;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Sending a code: within the limits ({@link SendLimiter}), a new code replaces the old one; a
 * subject that cannot receive one (unknown, disabled, locked, no usable address) gets a decoy
 * code no input matches. As a first factor the request does the same work for both: it renders
 * the mail and a real one is sent after the answer ({@link FirstFactorMail}); as a second factor
 * the mail is sent on the request and an SMTP failure is shown.
 */
final class CodeSender {
    private static final Logger LOG = Logger.getLogger(CodeSender.class);
    private static final CodeGenerator CODES = new CodeGenerator(new SecureRandom());
    /** Decoy codes start with a character no alphabet has, and typed codes must be in the alphabet. */
    static final String DECOY_MARK = "~";

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final FirstFactorMail firstFactorMail;

    CodeSender(FirstFactorMail firstFactorMail) {
        this.firstFactorMail = firstFactorMail;
    }

    /** A new subject: forget any earlier code and send the first one. */
    void start(AuthenticationFlowContext context, EmailCodeSettings settings, CodeSubject subject) {
        EmailCodeAuthenticator.notes(context).remove(EmailCodeConstants.NOTE_CODE);
        EmailCodeAuthenticator.notes(context).set(EmailCodeConstants.NOTE_SUBJECT, subject.toNote());
        context.challenge(send(context, settings, subject, false));
    }

    /** Within the limits, a new code replaces the old one; returns the page to show. */
    Response send(AuthenticationFlowContext context, EmailCodeSettings settings, CodeSubject subject, boolean resend) {
        RealmModel realm = context.getRealm();
        boolean firstFactor = EmailCodePages.isFirstFactor(context.getAuthenticationSession());
        EventBuilder event = context.getEvent()
                .clone()
                .event(EventType.SEND_VERIFY_EMAIL)
                .detail(Details.USERNAME, EmailCodePages.attemptedName(context, subject));
        UserModel user = subject.user() ? context.getSession().users().getUserById(realm, subject.id()) : null;
        if (user != null) {
            event.user(user);
        }
        String refusal = refusal(context, settings, user);
        if (refusal != null && !firstFactor) {
            // an earlier factor of this login proved who this is: nothing to hide, say why no mail comes
            event.error(refusal);
            return EmailCodePages.codePage(context, settings, subject, refusalMessage(refusal));
        }
        SendLimiter limiter = new SendLimiter(context.getSession().singleUseObjects());
        CodeSubject sender = cooldownSubject(context, subject);
        String source =
                firstFactor ? SendLimiter.sourceOf(context.getConnection().getRemoteAddr()) : SendLimiter.PROVEN;
        SendLimiter.Outcome limit = limiter.claim(realm.getId(), sender, subject, source, settings);
        if (limit != SendLimiter.Outcome.ALLOWED) {
            boolean cooldown = limit == SendLimiter.Outcome.COOLDOWN;
            event.detail(Details.REASON, cooldown ? "cooldown" : "hourly_cap").error(Errors.SLOW_DOWN);
            return cooldown
                    ? EmailCodePages.codePage(
                            context,
                            settings,
                            subject,
                            EmailCodeConstants.MSG_COOLDOWN,
                            settings.resendCooldown().toSeconds())
                    : EmailCodePages.codePage(
                            context, settings, subject, EmailCodeConstants.MSG_HOURLY_CAP, settings.maxSendsPerHour());
        }

        CodeKeys.Key key = CodeKeys.active(context.getSession(), realm);
        String code = CODES.next(settings.alphabet(), settings.length());
        if (refusal != null) {
            code = DECOY_MARK + code;
        }
        if (firstFactor) {
            // a real code and a decoy cost this request the same: a rendered mail and a queued task,
            // which sends the real one and writes either one's event after the answer
            try {
                firstFactorMail.queue(
                        context,
                        user != null ? user : standIn(context, subject),
                        attributes(context, settings, code),
                        delivery(context, event, refusal, settings));
            } catch (EmailException e) {
                // the theme could not render it: the page stays the one every name gets. Only the
                // cause's type is logged: a template error's message can quote the data model's
                // values, and the code is one of them.
                LOG.warnf(
                        "Realm %s: an email-code mail could not be rendered (%s in the email theme's templates)",
                        realm.getName(),
                        e.getCause() == null
                                ? e.getClass().getSimpleName()
                                : e.getCause().getClass().getSimpleName());
                event.error(Errors.EMAIL_SEND_FAILED);
            }
        } else {
            // a second factor has nothing to hide: sent now, and a failure is said
            try {
                mail(context, settings, user, code);
            } catch (EmailException e) {
                limiter.releaseCooldown(realm.getId(), sender);
                // Keycloak's sender has logged the SMTP error; its message can hold the address, so it stays out
                LOG.warnf("Realm %s: an email code could not be sent (SMTP error logged above)", realm.getName());
                event.detail(Details.EMAIL, user.getEmail()).error(Errors.EMAIL_SEND_FAILED);
                return EmailCodePages.codePage(context, settings, subject, EmailCodeConstants.MSG_SEND_FAILED);
            }
            event.detail(Details.EMAIL, user.getEmail())
                    .detail(EmailCodeConstants.DETAIL_OUTCOME, "sent")
                    .success();
        }
        StoredCode stored = StoredCode.issue(code, key.bytes(), key.id(), binding(context, subject), now(), settings);
        EmailCodeAuthenticator.notes(context).set(EmailCodeConstants.NOTE_CODE, stored.toNote());
        return resend
                ? EmailCodePages.resentPage(context, settings, subject)
                : EmailCodePages.codePage(context, settings, subject, null);
    }

    /**
     * Whom a decoy's mail is rendered for when the name has no account: nobody stored, nothing
     * written; with the typed name and an address, as a real recipient has, so a theme that shows
     * them renders for both.
     */
    private static UserModel standIn(AuthenticationFlowContext context, CodeSubject subject) {
        String name = EmailCodePages.attemptedName(context, subject);
        UserModel standIn = new LightweightUserAdapter(context.getSession(), context.getRealm(), null);
        standIn.setUsername(name);
        standIn.setEmail(name.indexOf('@') >= 0 ? name : name + "@example.invalid");
        return standIn;
    }

    private static FirstFactorMail.Delivery delivery(
            AuthenticationFlowContext context, EventBuilder event, String refusal, EmailCodeSettings settings) {
        Event template = event.getEvent();
        return new FirstFactorMail.Delivery(
                context.getRealm().getId(),
                template.getUserId(),
                template.getClientId(),
                refusal,
                template.getDetails() == null ? Map.of() : Map.copyOf(template.getDetails()),
                Time.currentTimeMillis() + settings.lifetime().toMillis(),
                context.getConnection().getRemoteAddr(),
                context.getConnection().getRemoteHost());
    }

    /**
     * The cooldown is kept per typed name when the user typed one: keyed by the account, a
     * cooldown hit for "alice" right after a send for "alice@example.com" would tell that both
     * name one existing account. (The hourly cap stays per account, to protect its mailbox.)
     */
    static CodeSubject cooldownSubject(AuthenticationFlowContext context, CodeSubject subject) {
        String typed =
                context.getAuthenticationSession().getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
        return typed == null ? subject : CodeSubject.ofName(context.getRealm().getId(), typed);
    }

    /** What a user who already passed a factor is told when no code can go out. */
    static String refusalMessage(String refusal) {
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
    static String refusal(AuthenticationFlowContext context, EmailCodeSettings settings, UserModel user) {
        // asked for every subject, an account or not, refused or not: the protector's lookup costs
        // the same for all, so its time cannot tell them apart
        String lock = BruteForce.lockError(
                context,
                user != null ? user : new LightweightUserAdapter(context.getSession(), context.getRealm(), null));
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
                && !(settings.markEmailVerified()
                        && EmailCodePages.isFirstFactor(context.getAuthenticationSession()))) {
            return Errors.INVALID_EMAIL;
        }
        return lock;
    }

    static void mail(AuthenticationFlowContext context, EmailCodeSettings settings, UserModel user, String code)
            throws EmailException {
        context.getSession()
                .getProvider(EmailTemplateProvider.class)
                .setRealm(context.getRealm())
                .setUser(user)
                .setAuthenticationSession(context.getAuthenticationSession())
                .send(
                        EmailCodeConstants.MSG_EMAIL_SUBJECT,
                        List.of(realmDisplayName(context.getRealm())),
                        EmailCodeConstants.TEMPLATE_EMAIL,
                        attributes(context, settings, code));
    }

    /** The code mail template's values. */
    static Map<String, Object> attributes(AuthenticationFlowContext context, EmailCodeSettings settings, String code) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("code", code);
        attributes.put("codeLifetimeMinutes", settings.lifetime().toMinutes());
        if (settings.requestDetailsInEmail()) {
            attributes.put("requestTime", REQUEST_TIME.format(now()));
            attributes.put("requestIp", context.getConnection().getRemoteAddr());
        }
        return attributes;
    }

    static String binding(AuthenticationFlowContext context, CodeSubject subject) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        return StoredCode.binding(
                context.getRealm().getId(),
                subject.toNote(),
                authSession.getParentSession().getId() + "." + authSession.getTabId());
    }

    static String realmDisplayName(RealmModel realm) {
        String display = realm.getDisplayName();
        return display != null && !display.isBlank() ? display : realm.getName();
    }

    /** Keycloak's clock, so a server-wide time offset moves code expiry too. */
    static Instant now() {
        return Instant.ofEpochMilli(Time.currentTimeMillis());
    }
}
