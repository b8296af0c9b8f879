package dev.keyward.mfa;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/** Registers {@link LinkTwoFactorAuthenticator} as {@code keyward-link-two-factor}. */
public class LinkTwoFactorAuthenticatorFactory extends PolicyStepFactory {
    /** Authenticator id. */
    public static final String ID = "keyward-link-two-factor";

    @Override
    public Authenticator create(KeycloakSession session) {
        return new LinkTwoFactorAuthenticator(session);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Link: full two-factor sign-in (Keyward)";
    }

    @Override
    public String getHelpText() {
        return "First broker login, after email verification of the existing account: an account with two-factor sign-in on must sign in with two of its methods before it is linked. Others pass.";
    }
}
