package dev.keyward.mfa;

import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;

/** Registers {@link EnableTwoFactorAction} as {@code keyward-enable-two-factor}. */
public class EnableTwoFactorActionFactory extends TwoFactorSwitchFactory {
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
}
