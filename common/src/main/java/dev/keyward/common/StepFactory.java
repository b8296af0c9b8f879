package dev.keyward.common;

import java.util.List;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * What every authenticator factory of the pack leaves as Keycloak's interface has it: nothing to
 * initialise or close, no user setup, no settings unless a factory lists them. Factories hold
 * config metadata only; the authenticators hold behaviour.
 */
public abstract class StepFactory implements AuthenticatorFactory, NoLifecycleFactory<Authenticator> {

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public boolean isConfigurable() {
        return !getConfigProperties().isEmpty();
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }
}
