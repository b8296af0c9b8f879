package dev.keyward.common;

import java.util.LinkedHashMap;
import java.util.List;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** Keycloak's event builder that records what would be sent instead of sending it (see {@link FakeFlow}). */
final class RecordingEvents extends EventBuilder {
    private final RealmModel realm;
    private final KeycloakSession session;
    private final List<FakeFlow.Event> log;

    RecordingEvents(RealmModel realm, KeycloakSession session, List<FakeFlow.Event> log) {
        super(realm, session);
        this.realm = realm;
        this.session = session;
        this.log = log;
    }

    @Override
    public void success() {
        record(null);
    }

    @Override
    public void error(String error) {
        record(error);
    }

    @Override
    public EventBuilder clone() {
        RecordingEvents copy = new RecordingEvents(realm, session, log);
        if (getEvent().getType() != null) {
            copy.event(getEvent().getType());
        }
        if (getEvent().getUserId() != null) {
            copy.user(getEvent().getUserId());
        }
        if (getEvent().getDetails() != null) {
            getEvent().getDetails().forEach(copy::detail);
        }
        return copy;
    }

    private void record(String error) {
        log.add(new FakeFlow.Event(
                getEvent().getType() == null ? null : getEvent().getType().name(),
                error,
                getEvent().getUserId(),
                getEvent().getDetails() == null
                        ? java.util.Map.of()
                        : new LinkedHashMap<>(getEvent().getDetails())));
    }
}
