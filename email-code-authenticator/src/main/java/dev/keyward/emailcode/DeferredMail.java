package dev.keyward.emailcode;

import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailSenderProvider;
import org.keycloak.email.freemarker.FreeMarkerEmailTemplateProvider;
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
 * Keycloak's SMTP sender on a background thread once the request's transaction has committed (a
 * rolled-back request sends nothing). Rendering here, not in the background, keeps the language
 * the request resolves (its {@code ui_locales}, locale cookie and Accept-Language), which a
 * session without a request would not see.
 *
 * <p>A cost: the mail is rendered by Keycloak's FreeMarker renderer, not by an email template
 * provider an operator may have put in its place; the second factor's mail, sent on the request,
 * goes through whichever provider is configured.
 */
final class DeferredMail implements FirstFactorMail {
    /** Keycloak's managed executor of this name runs the sends. */
    static final String EXECUTOR = "keyward-email-code";

    private static final Logger LOG = Logger.getLogger(DeferredMail.class);

    @Override
    public void queue(
            AuthenticationFlowContext context, UserModel recipient, Map<String, Object> attributes, Delivery delivery)
            throws EmailException {
        KeycloakSession session = context.getSession();
        Renderer renderer = new Renderer(session);
        renderer.setRealm(context.getRealm())
                .setUser(recipient)
                .setAuthenticationSession(context.getAuthenticationSession())
                .send(
                        EmailCodeConstants.MSG_EMAIL_SUBJECT,
                        java.util.List.of(CodeSender.realmDisplayName(context.getRealm())),
                        EmailCodeConstants.TEMPLATE_EMAIL,
                        attributes);
        Rendered mail = renderer.rendered;
        if (delivery == null || mail == null) {
            return;
        }
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        ExecutorsProvider executors = session.getProvider(ExecutorsProvider.class);
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                try {
                    executors.getExecutor(EXECUTOR).execute(() -> send(factory, mail, delivery));
                } catch (RejectedExecutionException e) {
                    LOG.warnf("Realm %s: an email code was not sent (the send queue is closed)", delivery.realmId());
                }
            }

            @Override
            protected void rollbackImpl() {
                // the code the mail holds was not stored: nothing to send
            }
        });
    }

    private static void send(KeycloakSessionFactory factory, Rendered mail, Delivery delivery) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            RealmModel realm = session.realms().getRealm(delivery.realmId());
            if (realm == null) {
                return; // removed meanwhile
            }
            // the SMTP password may be a vault reference, resolved against the context's realm
            session.getContext().setRealm(realm);
            EventBuilder event = new EventBuilder(realm, session, delivery)
                    .event(EventType.SEND_VERIFY_EMAIL)
                    .client(delivery.clientId())
                    .user(delivery.userId())
                    .detail(Details.USERNAME, delivery.attemptedName())
                    .detail(Details.EMAIL, mail.address());
            try {
                session.getProvider(EmailSenderProvider.class)
                        .send(realm.getSmtpConfig(), mail.address(), mail.subject(), mail.text(), mail.html());
                event.detail(EmailCodeConstants.DETAIL_OUTCOME, "sent").success();
            } catch (EmailException e) {
                new SendLimiter(session.singleUseObjects()).releaseCooldown(realm.getId(), delivery.cooldown());
                // Keycloak's sender has logged the SMTP error; its message can hold the address, so it stays out
                LOG.warnf("Realm %s: an email code could not be sent (SMTP error logged above)", realm.getName());
                event.error(Errors.EMAIL_SEND_FAILED);
            }
        });
    }

    private record Rendered(String address, String subject, String text, String html) {}

    /** Keycloak's email renderer, stopped where it would hand the mail to the SMTP sender. */
    private static final class Renderer extends FreeMarkerEmailTemplateProvider {
        private Rendered rendered;

        Renderer(KeycloakSession session) {
            super(session);
        }

        @Override
        protected void send(
                Map<String, String> config, String subject, String textBody, String htmlBody, String address) {
            rendered = new Rendered(address != null ? address : user.getEmail(), subject, textBody, htmlBody);
        }
    }
}
