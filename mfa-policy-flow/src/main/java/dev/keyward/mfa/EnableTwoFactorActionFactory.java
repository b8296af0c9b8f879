package dev.keyward.mfa;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/** Registers {@link EnableTwoFactorAction} as {@code keyward-enable-two-factor}. */
public class EnableTwoFactorActionFactory implements RequiredActionFactory {
    /** Required-action id (and default alias). */
    public static final String ID = "keyward-enable-two-factor";

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new EnableTwoFactorAction(session);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayText() {
        return "Enable two-factor sign-in";
    }

    /** No settings: re-authentication is not optional (max_auth_age would be ignored). */
    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return List.of();
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
