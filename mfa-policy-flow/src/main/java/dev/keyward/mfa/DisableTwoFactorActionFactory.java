package dev.keyward.mfa;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/** Registers {@link DisableTwoFactorAction} as {@code keyward-disable-two-factor}. */
public class DisableTwoFactorActionFactory implements RequiredActionFactory {
    /** Required-action id (and default alias). */
    public static final String ID = "keyward-disable-two-factor";

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new DisableTwoFactorAction(session);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayText() {
        return "Disable two-factor sign-in";
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
