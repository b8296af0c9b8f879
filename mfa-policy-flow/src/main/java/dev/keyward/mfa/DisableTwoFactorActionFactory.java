package dev.keyward.mfa;

import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;

/** Registers {@link DisableTwoFactorAction} as {@code keyward-disable-two-factor}. */
public class DisableTwoFactorActionFactory extends TwoFactorSwitchFactory {
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
}
