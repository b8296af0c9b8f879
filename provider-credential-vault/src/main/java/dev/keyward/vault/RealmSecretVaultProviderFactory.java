package dev.keyward.vault;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.EnvironmentDependentProviderFactory;
import org.keycloak.vault.VaultProvider;
import org.keycloak.vault.VaultProviderFactory;

/**
 * Registers {@link RealmSecretVaultProvider} as vault provider {@code keyward}. Off unless
 * {@code --spi-vault--keyward--enabled=true} (a build option): Keycloak runs one vault provider, and
 * installing the pack must not take that place from a server's {@code --vault=file|keystore}.
 */
public class RealmSecretVaultProviderFactory implements VaultProviderFactory, EnvironmentDependentProviderFactory {

    @Override
    public VaultProvider create(KeycloakSession session) {
        return new RealmSecretVaultProvider(session);
    }

    @Override
    public boolean isSupported(Config.Scope config) {
        return config.getBoolean("enabled", false);
    }

    @Override
    public String getId() {
        return VaultConstants.VAULT_PROVIDER_ID;
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
