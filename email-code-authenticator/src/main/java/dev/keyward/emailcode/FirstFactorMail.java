package dev.keyward.emailcode;

import java.util.Map;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.common.ClientConnection;
import org.keycloak.email.EmailException;
import org.keycloak.models.UserModel;

/**
 * How a first factor's code mail leaves ({@link DeferredMail}; unit tests put a recorder here).
 * The request renders the mail for a real recipient and for a decoy alike, and a real one is sent
 * only after the answer: so the answer's time says nothing about the SMTP exchange, which is the
 * one step only an existing, reachable account would take.
 */
interface FirstFactorMail {
    /**
     * Renders the code mail for {@code recipient} on this request (where the user's language is
     * known); with a {@code delivery}, sends it after this request has committed, off the request
     * thread, and reports the outcome as an event; without one (a decoy) drops it.
     *
     * @throws EmailException when the mail cannot be rendered (a theme problem, the same for every name)
     */
    void queue(
            AuthenticationFlowContext context, UserModel recipient, Map<String, Object> attributes, Delivery delivery)
            throws EmailException;

    /**
     * What the background send needs once the request is gone: ids and strings, no request objects
     * (it is also the event's client connection).
     *
     * @param cooldown the subject whose cooldown a failed send gives back
     */
    record Delivery(
            String realmId,
            String userId,
            String clientId,
            String attemptedName,
            CodeSubject cooldown,
            String remoteAddr,
            String remoteHost)
            implements ClientConnection {
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
