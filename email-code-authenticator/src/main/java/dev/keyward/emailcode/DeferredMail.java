package dev.keyward.emailcode;

import dev.keyward.common.RenderedMail;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.common.util.Time;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailSenderProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * A first factor's code mail, rendered by Keycloak's email templates on the request and sent by
 * Keycloak's SMTP sender on its managed executor {@value #EXECUTOR} once the request's transaction
 * has committed (a rolled-back request sends nothing). Rendering on the request keeps the language
 * the request resolves (its {@code ui_locales}, locale cookie and Accept-Language), which a session
 * without a request would not see.
 *
 * <p>Tasks start 100 to 300 ms after the commit, so the send's CPU does not land on this request's
 * answer, whose time a decoy's must match (on a small machine it did, by a millisecond); the spread
 * keeps the load the send makes from being a clock either. A task that waited past the code's
 * lifetime sends nothing.
 *
 * <p>Costs: the mail is rendered by Keycloak's FreeMarker renderer, not by an email template
 * provider an operator may have put in its place (the second factor's mail, sent on the request,
 * goes through whichever is configured); a task queued on a node that stops is lost.
 */
final class DeferredMail implements FirstFactorMail, AutoCloseable {
    /** Keycloak's managed executor of this name runs the tasks. */
    static final String EXECUTOR = "keyward-email-code";

    private static final Logger LOG = Logger.getLogger(DeferredMail.class);

    /** Only waits out the delay, then hands each task to Keycloak's executor. */
    private final ScheduledExecutorService delay = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "keyward-email-code-delay");
        t.setDaemon(true);
        return t;
    });

    @Override
    public void queue(
            AuthenticationFlowContext context, UserModel recipient, Map<String, Object> attributes, Delivery delivery)
            throws EmailException {
        KeycloakSession session = context.getSession();
        RenderedMail.Renderer renderer = new RenderedMail.Renderer(session);
        renderer.setRealm(context.getRealm())
                .setUser(recipient)
                .setAuthenticationSession(context.getAuthenticationSession())
                .send(
                        EmailCodeConstants.MSG_EMAIL_SUBJECT,
                        List.of(CodeSender.realmDisplayName(context.getRealm())),
                        EmailCodeConstants.TEMPLATE_EMAIL,
                        attributes);
        RenderedMail mail = delivery.decoy() ? null : renderer.rendered();
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        ExecutorService executor = session.getProvider(ExecutorsProvider.class).getExecutor(EXECUTOR);
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                try {
                    delay.schedule(
                            () -> hand(executor, factory, mail, delivery),
                            ThreadLocalRandom.current().nextLong(100, 300),
                            TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    dropped(delivery);
                }
            }

            @Override
            protected void rollbackImpl() {
                // the code was not stored: nothing to send
            }
        });
    }

    private static void hand(
            ExecutorService executor, KeycloakSessionFactory factory, RenderedMail mail, Delivery delivery) {
        try {
            executor.execute(() -> run(factory, mail, delivery));
        } catch (RejectedExecutionException e) {
            dropped(delivery);
        }
    }

    private static void dropped(Delivery delivery) {
        LOG.warnf("Realm %s: an email-code task was dropped (the node is stopping)", delivery.realmId());
    }

    private static void run(KeycloakSessionFactory factory, RenderedMail mail, Delivery delivery) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> send(session, mail, delivery));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Realm %s: an email-code task failed", delivery.realmId());
        }
    }

    private static void send(KeycloakSession session, RenderedMail mail, Delivery delivery) {
        RealmModel realm = session.realms().getRealm(delivery.realmId());
        if (realm == null) {
            return; // removed meanwhile
        }
        // the SMTP password may be a vault reference, resolved against the context's realm
        session.getContext().setRealm(realm);
        EventBuilder event = new EventBuilder(realm, session, delivery)
                .event(EventType.SEND_VERIFY_EMAIL)
                .client(delivery.clientId())
                .user(delivery.userId());
        delivery.details().forEach(event::detail);
        if (delivery.decoy()) {
            event.error(delivery.refusal());
            return;
        }
        event.detail(Details.EMAIL, mail.address());
        if (Time.currentTimeMillis() > delivery.expiresAtMillis()) {
            LOG.warnf(
                    "Realm %s: an email code was not sent, its task waited past the code's lifetime", realm.getName());
            event.detail(Details.REASON, "expired_in_queue").error(Errors.EMAIL_SEND_FAILED);
            return;
        }
        try {
            mail.send(session.getProvider(EmailSenderProvider.class), realm);
            event.detail(EmailCodeConstants.DETAIL_OUTCOME, "sent").success();
        } catch (EmailException e) {
            // The cooldown stays: giving it back here would let a resend tell this name from a
            // decoy's, whose cooldown nothing gives back. Keycloak's sender has logged the SMTP error;
            // its message can hold the address, so it stays out.
            LOG.warnf("Realm %s: an email code could not be sent (SMTP error logged above)", realm.getName());
            event.error(Errors.EMAIL_SEND_FAILED);
        }
    }

    @Override
    public void close() {
        delay.shutdown();
    }
}
