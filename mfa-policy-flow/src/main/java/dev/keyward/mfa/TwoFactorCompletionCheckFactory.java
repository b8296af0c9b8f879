package dev.keyward.mfa;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * Registers {@link TwoFactorCompletionCheck} as {@code keyward-two-factor-check}. It acts only when
 * enabled in the realm's required actions (the export enables it, first in priority); it is never
 * set on users.
 */
public class TwoFactorCompletionCheckFactory implements RequiredActionFactory {
    /** Required-action id (and default alias). */
    public static final String ID = "keyward-two-factor-check";

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new TwoFactorCompletionCheck(session);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayText() {
        return "Two-factor sign-in completed (Keyward)";
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return List.of();
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
