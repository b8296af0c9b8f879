package dev.keyward.opaque.authenticator;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Registers {@link RekeyCommitListener} as {@code keyward-opaque-rekey}. Global: it hears every
 * realm's login events without being added to the realm's listeners, and whether or not the realm
 * stores events.
 */
public class RekeyCommitListenerFactory implements EventListenerProviderFactory {
    /** Listener id. */
    public static final String ID = "keyward-opaque-rekey";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new RekeyCommitListener(session);
    }

    @Override
    public boolean isGlobal() {
        return true;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
