package dev.keyward.mfa;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/** Registers {@link ResetTwoFactorAuthenticator} as {@code keyward-reset-two-factor}. */
public class ResetTwoFactorAuthenticatorFactory extends PolicyStepFactory {
    /** Authenticator id. */
    public static final String ID = "keyward-reset-two-factor";

    @Override
    public Authenticator create(KeycloakSession session) {
        return new ResetTwoFactorAuthenticator(session);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Reset: passkey for two-factor users (Keyward)";
    }

    @Override
    public String getHelpText() {
        return "Reset credentials, after the emailed link: a user with two-factor sign-in on must also sign in with a passkey; without one the reset is refused. Others pass.";
    }
}
