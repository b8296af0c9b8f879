package dev.keyward.vault;

import java.security.SecureRandom;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.common.util.Environment;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The {@code default} provider of the {@code keyward-vault} SPI. Options (CLI /
 * {@code conf/keycloak.conf} / environment / config keystore):
 * <ul>
 *   <li>{@code --spi-keyward-vault--default--keys}: {@code id:base64(32 bytes)} entries, comma
 *       separated. Required by {@code kc.sh start}.</li>
 *   <li>{@code --spi-keyward-vault--default--active-key}: the id new writes use (may be left out
 *       when the ring has one key).</li>
 *   <li>{@code --spi-keyward-vault--default--rotation-batch-size}: rows per rotation transaction
 *       (default 500).</li>
 *   <li>{@code --spi-keyward-vault--default--dev-keys-file}: where {@code start-dev} keeps its
 *       generated keyring.</li>
 * </ul>
 * The keyring is checked in {@link #init}, so a server with a missing or weak key never starts.
 */
public class JpaCredentialVaultProviderFactory implements CredentialVaultProviderFactory {
    static final int DEFAULT_BATCH = 500;

    private SecretEnvelope envelope;
    private int batchSize;
    private KeyRotation rotation;

    @Override
    public CredentialVaultProvider create(KeycloakSession session) {
        return new JpaCredentialVaultProvider(session, envelope);
    }

    @Override
    public void init(Config.Scope config) {
        VaultKeyring keyring = KeyringLoader.load(
                config.get(VaultConstants.CONFIG_KEYS),
                config.get(VaultConstants.CONFIG_ACTIVE_KEY),
                Environment.isDevMode(),
                config.get(VaultConstants.CONFIG_DEV_KEYS_FILE),
                System.getProperty("kc.home.dir"));
        this.envelope = new SecretEnvelope(keyring, new SecureRandom());
        this.batchSize = config.getInt(VaultConstants.CONFIG_ROTATION_BATCH, DEFAULT_BATCH);
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalStateException(
                    "Keyward vault: " + VaultConstants.CONFIG_ROTATION_BATCH + " must be 1 to 10000");
        }
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        this.rotation = new KeyRotation(factory, envelope, batchSize);
        factory.register(new VaultCleanup(envelope.keyring()));
        // after VaultCleanup: the start is refused before anything is re-sealed if a key is missing
        factory.register(new LegacyBindingUpgrade(envelope, batchSize));
    }

    /** @return the node's rotation runner (the admin endpoint starts and watches it) */
    KeyRotation rotation() {
        return rotation;
    }

    @Override
    public void close() {
        if (rotation != null) {
            rotation.close();
        }
    }

    @Override
    public String getId() {
        return VaultConstants.DEFAULT_PROVIDER;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property()
                .name(VaultConstants.CONFIG_KEYS)
                .type(ProviderConfigProperty.STRING_TYPE)
                .secret(true)
                .helpText("Vault keys, comma-separated id:base64(32 random bytes). Required in production.")
                .add()
                .property()
                .name(VaultConstants.CONFIG_ACTIVE_KEY)
                .type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Key id that new writes and rotations use.")
                .add()
                .property()
                .name(VaultConstants.CONFIG_ROTATION_BATCH)
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(DEFAULT_BATCH)
                .helpText("Rows re-encrypted per rotation transaction.")
                .add()
                .property()
                .name(VaultConstants.CONFIG_DEV_KEYS_FILE)
                .type(ProviderConfigProperty.STRING_TYPE)
                .helpText("start-dev only: file holding the generated keyring.")
                .add()
                .build();
    }
}
