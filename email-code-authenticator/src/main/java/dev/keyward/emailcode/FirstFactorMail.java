package dev.keyward.emailcode;

import java.util.Map;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.common.ClientConnection;
import org.keycloak.email.EmailException;
import org.keycloak.models.UserModel;

/**
 * How a first factor's code mail leaves ({@link DeferredMail}; unit tests put a recorder here).
 * The request does the same for a real recipient and for a decoy: it renders the mail and queues
 * a task; after the answer the task sends the real mail and writes the event of either. So the
 * answer's time says nothing about the SMTP exchange, the one step only an existing, reachable
 * account would take, nor about the event's write.
 */
interface FirstFactorMail {
    /**
     * Renders the code mail for {@code recipient} on this request (where the user's language is
     * known) and queues {@code delivery}: once this request has committed, off the request thread,
     * the mail is sent unless the delivery is a decoy's, and the outcome is written as an event.
     *
     * @throws EmailException when the mail cannot be rendered (a theme problem); nothing is queued
     */
    void queue(
            AuthenticationFlowContext context, UserModel recipient, Map<String, Object> attributes, Delivery delivery)
            throws EmailException;

    /**
     * What the task needs once the request is gone: ids and strings, no request objects (it is also
     * the event's client connection).
     *
     * @param userId the account, or null for a name without one
     * @param refusal why no mail goes out (the event's error), or null for a real send
     * @param details the request's event details (username, auth session, redirect URI…)
     * @param expiresAtMillis the code's end: a task that waited longer sends nothing
     */
    record Delivery(
            String realmId,
            String userId,
            String clientId,
            String refusal,
            Map<String, String> details,
            long expiresAtMillis,
            String remoteAddr,
            String remoteHost)
            implements ClientConnection {
        boolean decoy() {
            return refusal != null;
        }

        @Override
        public String getRemoteAddr() {
            return remoteAddr;
        }

        @Override
        public String getRemoteHost() {
            return remoteHost;
        }
    }
}
