package dev.keyward.mfa;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/** Registers {@link BrokerSecondFactorAuthenticator} as {@code keyward-broker-second-factor}. */
public class BrokerSecondFactorAuthenticatorFactory extends PolicyStepFactory {
    /** Authenticator id. */
    public static final String ID = "keyward-broker-second-factor";

    @Override
    public Authenticator create(KeycloakSession session) {
        return new BrokerSecondFactorAuthenticator(session);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Local second factor after an identity provider (Keyward)";
    }

    @Override
    public String getHelpText() {
        return "Post broker login: a user with two-factor sign-in on proves one local method (passkey, email code, OPAQUE password) after the provider's login. Others pass.";
    }
}
