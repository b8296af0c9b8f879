package dev.keyward.mfa;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Registers {@link TwoFactorRevocationListener} as {@code keyward-two-factor-revocation}. Global:
 * it hears every realm's admin events without being added to the realm's listeners, and whether
 * or not the realm stores admin events.
 */
public class TwoFactorRevocationListenerFactory implements EventListenerProviderFactory {
    /** Listener id. */
    public static final String ID = "keyward-two-factor-revocation";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new TwoFactorRevocationListener(session);
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
