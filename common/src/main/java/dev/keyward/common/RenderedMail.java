package dev.keyward.common;

import java.util.Map;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailSenderProvider;
import org.keycloak.email.freemarker.FreeMarkerEmailTemplateProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * A mail rendered on the request and sent later, from a session without one: the request is what
 * resolves the recipient's language (its {@code ui_locales}, locale cookie, Accept-Language).
 */
public record RenderedMail(String address, String subject, String text, String html) {

    /** Sends it with the realm's SMTP settings; the session's context must name the realm (vault references). */
    public void send(EmailSenderProvider sender, RealmModel realm) throws EmailException {
        sender.send(realm.getSmtpConfig(), address, subject, text, html);
    }

    /** Keycloak's email renderer, stopped where it would hand the mail to the SMTP sender. */
    public static final class Renderer extends FreeMarkerEmailTemplateProvider {
        private RenderedMail rendered;

        public Renderer(KeycloakSession session) {
            super(session);
        }

        /** @return the mail the last {@code send} rendered, or null before one */
        public RenderedMail rendered() {
            return rendered;
        }

        @Override
        protected void send(
                Map<String, String> config, String subject, String textBody, String htmlBody, String address) {
            rendered = new RenderedMail(address != null ? address : user.getEmail(), subject, textBody, htmlBody);
        }
    }
}
