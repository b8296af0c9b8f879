package dev.keyward.opaque.authenticator;

import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.OpaqueSuite;
import dev.keyward.opaque.RegistrationRecord;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.events.Event;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;

/**
 * Commits a two-factor user's re-registration ({@link PendingRekey}) when their login succeeded.
 * Keycloak sends {@code LOGIN} success only after the flow and every required action are done,
 * right after it created (or reused) the user session and copied the authentication session's
 * user-session notes onto it; listeners run in that request's transaction, so the record is
 * written with the login or not at all. A login that stops before (a password without its second
 * factor, the two-factor check's refusal) never gets here and its note dies with its
 * authentication session.
 */
final class RekeyCommitListener implements EventListenerProvider {
    private static final Logger LOG = Logger.getLogger(RekeyCommitListener.class);

    private final KeycloakSession session;

    RekeyCommitListener(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getType() != EventType.LOGIN || event.getSessionId() == null || event.getUserId() == null) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        UserSessionModel userSession = realm == null ? null : userSession(realm, event.getSessionId());
        String note = userSession == null ? null : userSession.getNote(PendingRekey.NOTE);
        if (note == null) {
            return;
        }
        // single use, whatever follows
        userSession.removeNote(PendingRekey.NOTE);
        PendingRekey pending = PendingRekey.parse(note);
        UserModel user = session.users().getUserById(realm, event.getUserId());
        String failure;
        if (pending == null || user == null || !pending.userId().equals(user.getId())) {
            failure = "invalid";
        } else if (pending.deadline() < Time.currentTimeMillis()) {
            failure = "expired";
        } else {
            failure = commit(realm, user, userSession, event, pending);
        }
        if (failure != null) {
            LOG.infof(
                    "OPAQUE re-registration after the login of user %s in realm %s not committed: %s",
                    event.getUserId(), realm.getName(), failure);
        }
    }

    private String commit(
            RealmModel realm, UserModel user, UserSessionModel userSession, Event login, PendingRekey pending) {
        byte[] record;
        try {
            OpaqueSuite suite = session.getProvider(OpaqueKeysProvider.class).suite();
            record = RegistrationRecord.fromBytes(
                            suite, Wire.decode(pending.record(), suite.registrationRecordLength()))
                    .toBytes();
        } catch (InvalidMessageException e) {
            return "malformed";
        }
        EventBuilder event = new EventBuilder(
                        realm, session, session.getContext().getConnection())
                .client(login.getClientId())
                .session(userSession);
        return RekeyStep.commit(
                session, realm, user, pending.credentialId(), pending.fromKeyId(), pending.toKeyId(), record, event);
    }

    private UserSessionModel userSession(RealmModel realm, String id) {
        UserSessionModel current = session.getContext().getUserSession();
        return current != null && id.equals(current.getId())
                ? current
                : session.sessions().getUserSession(realm, id);
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {}

    @Override
    public void close() {}
}
