package dev.keyward.apitoken;

import dev.keyward.common.DevSecretFile;
import dev.keyward.common.KeyringOption;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.common.util.Environment;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The JPA token store ({@code default}) and its server options: the hash keyring, which production
 * requires, and the guess limits.
 */
public class JpaApiTokenStoreFactory implements ApiTokenStoreFactory {
    private static final Logger LOG = Logger.getLogger(JpaApiTokenStoreFactory.class);
    static final String OPTIONS = "--spi-keyward-api-tokens--default--keys / KC_SPI_KEYWARD_API_TOKENS__DEFAULT__KEYS"
            + " (and --spi-keyward-api-tokens--default--active-key)";

    private TokenHashKeys keys;
    private TokenGate gate;

    @Override
    public ApiTokenStore create(KeycloakSession session) {
        return new JpaApiTokenStore(session, keys);
    }

    @Override
    public void init(Config.Scope config) {
        keys = loadKeys(
                config.get("keys"),
                config.get("active-key"),
                Environment.isDevMode(),
                config.get("dev-keys-file"),
                System.getProperty("kc.home.dir"));
        gate = new TokenGate(new GuessLimits(
                config.getInt("failures-per-token-and-address", 5),
                config.getInt("failures-per-address", 50),
                config.getInt("failure-window-seconds", 900)));
    }

    /** @return the gate every check of a presented token goes through */
    TokenGate gate() {
        return gate;
    }

    static TokenHashKeys loadKeys(String option, String active, boolean devMode, String devFile, String homeDir) {
        if (option != null && !option.isBlank()) {
            try {
                return TokenHashKeys.parse(option, active);
            } catch (KeyringOption.InvalidKeyringException e) {
                throw new IllegalStateException("Keyward API-token keys (" + OPTIONS + ") " + e.getMessage());
            }
        }
        if (!devMode) {
            throw new IllegalStateException("Keyward API-token keys are not configured. Set " + OPTIONS
                    + " to id:base64 entries of 32 random bytes each (openssl rand -base64 32). Without the key no"
                    + " stored token can be checked.");
        }
        Path file = devFile != null && !devFile.isBlank()
                ? Paths.get(devFile).toAbsolutePath().normalize()
                : Paths.get(homeDir != null ? homeDir : ".", "data", "keyward", "api-token-keys")
                        .toAbsolutePath()
                        .normalize();
        try {
            TokenHashKeys ring =
                    TokenHashKeys.parse(DevSecretFile.readOrCreate(file, JpaApiTokenStoreFactory::devKey), null);
            LOG.warnf(
                    "Keyward API tokens: no keys configured, DEV MODE ONLY: using a generated key in %s."
                            + " Production (kc.sh start) refuses to start without %s.",
                    file, "--spi-keyward-api-tokens--default--keys");
            return ring;
        } catch (IOException e) {
            throw new IllegalStateException("Keyward API tokens: cannot read or create the dev key file " + file + ": "
                    + e.getClass().getSimpleName());
        } catch (KeyringOption.InvalidKeyringException e) {
            throw new IllegalStateException("Keyward API tokens: the dev key file " + file + " " + e.getMessage());
        }
    }

    private static String devKey() {
        byte[] key = new byte[TokenHashKeys.KEY_BYTES];
        try {
            SecureRandom random = new SecureRandom();
            do {
                random.nextBytes(key);
            } while (!KeyringOption.looksRandom(key));
            return "dev-" + LocalDate.now() + ":" + Base64.getEncoder().encodeToString(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(new ApiTokenCleanup(keys));
    }

    @Override
    public void close() {}

    @Override
    public String getId() {
        return "default";
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property()
                .name("keys")
                .type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Keys of the tokens' keyed hash: id:base64 entries of 32 random bytes, comma-separated."
                        + " Required in production.")
                .secret(true)
                .add()
                .property()
                .name("active-key")
                .type(ProviderConfigProperty.STRING_TYPE)
                .helpText("The key id new tokens are hashed under; needed once there are two keys.")
                .add()
                .property()
                .name("dev-keys-file")
                .type(ProviderConfigProperty.STRING_TYPE)
                .helpText("start-dev only: where the generated key is kept (default data/keyward/api-token-keys).")
                .add()
                .property()
                .name("failures-per-token-and-address")
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(5)
                .helpText("Wrong presentations of one token id from one address before that pair is refused.")
                .add()
                .property()
                .name("failures-per-address")
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(50)
                .helpText("Wrong or unknown tokens from one address before the address is refused.")
                .add()
                .property()
                .name("failure-window-seconds")
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(900)
                .helpText("How long a failure counts.")
                .add()
                .build();
    }
}
