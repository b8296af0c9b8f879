package dev.keyward.opaque.authenticator;

import dev.keyward.common.KeyringOption;
import dev.keyward.opaque.Argon2idKsf;
import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.OpaqueConfiguration;
import dev.keyward.opaque.OpaqueServer;
import dev.keyward.opaque.OpaqueSuite;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.common.util.Environment;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The {@code default} provider of the {@code keyward-opaque-keys} SPI. Options (Keycloak 26 SPI
 * option scheme; CLI / {@code conf/keycloak.conf} / environment):
 * <ul>
 *   <li>{@code --spi-keyward-opaque-keys--default--setup-secret} /
 *       {@code KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__SETUP_SECRET}: base64 of at least 32 random
 *       bytes ({@code openssl rand -base64 32}). Required by {@code kc.sh start}.</li>
 *   <li>{@code ...--suite}: {@code ristretto255-SHA512} (default) or {@code P256-SHA256}.</li>
 *   <li>{@code ...--ksf-iterations}, {@code ...--ksf-memory} (KiB), {@code ...--ksf-parallelism}:
 *       the Argon2id the browser runs; defaults 3, 65536, 4 (@serenity-kit/opaque's default).</li>
 *   <li>{@code ...--setup-secrets} and {@code ...--active-setup-secret}: a keyring instead of the
 *       single secret, {@code id:base64,id:base64} and the id new registrations use (the vault's
 *       keyring syntax); each credential records the id it was registered under, so secrets can
 *       be rotated online ({@link SetupKeyring}). The single option is the ring {@code 1:<secret>}.</li>
 *   <li>{@code ...--dev-secret-file}: where {@code start-dev} keeps its generated secret.</li>
 * </ul>
 * The secret is checked in {@link #init}, so a production server with a missing or weak secret
 * fails to start instead of running with guessable keys. Each realm's keys are derived from it
 * ({@link SetupDerivation}); this factory caches the derived servers, which is safe in a cluster
 * because every node derives identical values from identical configuration.
 */
public class DefaultOpaqueKeysProviderFactory implements OpaqueKeysProviderFactory {
    private static final Logger LOG = Logger.getLogger(DefaultOpaqueKeysProviderFactory.class);
    /** Derived servers kept per realm; far above any real realm count, it only bounds memory. */
    private static final int CACHE_LIMIT = 4096;

    private SetupKeyring keyring;
    private OpaqueSuite suite;
    private Argon2idKsf ksf;
    /** By realm id and key id. */
    private final Map<String, RealmServer> servers = new ConcurrentHashMap<>();

    /** A realm's derived server and unknown-user key. */
    record RealmServer(OpaqueServer server, SetupDerivation.RealmKeys keys) {}

    @Override
    public OpaqueKeysProvider create(KeycloakSession session) {
        return new DefaultOpaqueKeysProvider(this);
    }

    @Override
    public void init(Config.Scope config) {
        Settings settings = Settings.read(config::get);
        this.suite = settings.suite();
        this.ksf = settings.ksf();
        this.keyring = resolveKeyring(
                config.get(OpaqueConstants.CONFIG_SETUP_SECRET),
                config.get(OpaqueConstants.CONFIG_SETUP_SECRETS),
                config.get(OpaqueConstants.CONFIG_ACTIVE_SETUP_SECRET),
                Environment.isDevMode(),
                config.get(OpaqueConstants.CONFIG_DEV_SECRET_FILE),
                System.getProperty("kc.home.dir"));
        LOG.infof(
                "OPAQUE keys ready: setup secrets %s, active '%s'; suite %s, browser KSF Argon2id t=%d m=%d KiB p=%d",
                keyring.ids(),
                keyring.activeId(),
                suite.identifier(),
                ksf.iterations(),
                ksf.memoryKiB(),
                ksf.parallelism());
    }

    /**
     * The start-up rules for the setup secrets, separated from {@link Config.Scope} for tests:
     * either the keyring ({@code setup-secrets}, {@code active-setup-secret}) or the single
     * {@code setup-secret} (key id {@code 1}), never both, else dev mode's generated secret (id
     * {@code 1}).
     *
     * @throws IllegalStateException to stop start-up; the message never contains a secret
     */
    static SetupKeyring resolveKeyring(
            String single, String ring, String active, boolean devMode, String devSecretFile, String homeDir) {
        boolean hasRing = ring != null && !ring.isBlank();
        boolean hasActive = active != null && !active.isBlank();
        if (hasRing) {
            if (single != null && !single.isBlank()) {
                throw new IllegalStateException("Keyward OPAQUE: set either " + optionNames() + " or " + RING_OPTIONS
                        + ", not both (the single secret is key id 1: list it in the ring as 1:...)");
            }
            try {
                return SetupKeyring.parse(ring, active);
            } catch (KeyringOption.InvalidKeyringException e) {
                throw new IllegalStateException(
                        "Keyward OPAQUE setup secrets (" + RING_OPTIONS + ") " + e.getMessage());
            }
        }
        if (hasActive && !SetupKeyring.FIRST_ID.equals(active.trim())) {
            throw new IllegalStateException("Keyward OPAQUE: the active setup secret '"
                    + KeyringOption.printableId(active.trim()) + "' needs the keyring " + RING_OPTIONS
                    + "; the single " + optionNames() + " is key id 1");
        }
        return SetupKeyring.single(resolveSecret(single, devMode, devSecretFile, homeDir));
    }

    /**
     * The start-up rules for the secret, separated from {@link Config.Scope} for tests.
     *
     * @param configured the configured value, or null
     * @param devMode whether Keycloak runs {@code start-dev}
     * @param devSecretFile the configured dev secret file, or null
     * @param homeDir Keycloak's home directory, or null
     * @return the secret
     * @throws IllegalStateException to stop start-up; the message never contains the secret
     */
    static byte[] resolveSecret(String configured, boolean devMode, String devSecretFile, String homeDir) {
        if (configured != null && !configured.isBlank()) {
            try {
                return SetupSecret.parse(configured);
            } catch (SetupSecret.InvalidSecretException e) {
                // an explicit value is a deliberate choice: wrong is wrong in dev mode too
                throw new IllegalStateException(
                        "Keyward OPAQUE setup secret (" + optionNames() + ") " + e.getMessage());
            }
        }
        if (!devMode) {
            throw new IllegalStateException("Keyward OPAQUE setup secret is not configured. Set " + optionNames()
                    + " to base64 of at least 32 random bytes (openssl rand -base64 32) and keep it with your"
                    + " database backups: losing it invalidates every OPAQUE password.");
        }
        return devSecret(devSecretFile, homeDir);
    }

    /**
     * Dev mode keeps its secret next to the dev database ({@code data/h2}) in Keycloak's data
     * directory: both live and die together, so records in the dev database stay usable across
     * restarts, and wiping {@code data/} resets both.
     */
    private static byte[] devSecret(String devSecretFile, String homeDir) {
        Path file = devSecretFile != null && !devSecretFile.isBlank()
                ? Paths.get(devSecretFile).toAbsolutePath().normalize()
                : homeDir != null
                        ? Paths.get(homeDir, "data", "keyward", "opaque-setup-secret")
                                .toAbsolutePath()
                                .normalize()
                        : null;
        String banner = "\n*****************************************************************************************\n"
                + "*  KEYWARD OPAQUE: NO SETUP SECRET CONFIGURED - DEV MODE ONLY                          *\n";
        if (file == null) {
            LOG.warn(banner
                    + "*  Using a random secret held in memory: OPAQUE passwords will not survive a restart.    *\n"
                    + "*  Production (kc.sh start) refuses to start without --spi-keyward-opaque-keys--default--setup-secret.\n"
                    + "*****************************************************************************************");
            byte[] b = new byte[SetupSecret.MIN_BYTES];
            new SecureRandom().nextBytes(b);
            return b;
        }
        try {
            byte[] b = SetupSecret.loadOrCreateDevSecret(file, new SecureRandom());
            LOG.warn(banner
                    + "*  Using a generated development secret stored in " + file + "\n"
                    + "*  Anyone who can read that file and the database can attack OPAQUE passwords offline.  *\n"
                    + "*  Production (kc.sh start) refuses to start without --spi-keyward-opaque-keys--default--setup-secret.\n"
                    + "*****************************************************************************************");
            return b;
        } catch (IOException e) {
            throw new IllegalStateException("Keyward OPAQUE: cannot read or create the dev setup secret file " + file
                    + ": " + e.getClass().getSimpleName());
        } catch (SetupSecret.InvalidSecretException e) {
            throw new IllegalStateException("Keyward OPAQUE: the dev setup secret in " + file + " " + e.getMessage()
                    + "; delete the file to generate a new one");
        }
    }

    static final String RING_OPTIONS = "--spi-keyward-opaque-keys--default--setup-secrets"
            + " / KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__SETUP_SECRETS (and --spi-keyward-opaque-keys--default--active-setup-secret)";

    private static String optionNames() {
        return "--spi-keyward-opaque-keys--default--setup-secret / KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__SETUP_SECRET";
    }

    /** Suite and KSF options, parsed and validated. */
    record Settings(OpaqueSuite suite, Argon2idKsf ksf) {
        interface Source {
            String get(String key);
        }

        static Settings read(Source config) {
            String suiteId =
                    orDefault(config.get(OpaqueConstants.CONFIG_SUITE), OpaqueSuite.RISTRETTO255_SHA512.identifier());
            OpaqueSuite suite;
            try {
                suite = OpaqueSuite.fromIdentifier(suiteId.trim());
            } catch (InvalidMessageException e) {
                throw new IllegalStateException("Keyward OPAQUE: unknown suite '" + suiteId + "'; use "
                        + OpaqueSuite.RISTRETTO255_SHA512.identifier() + " or " + OpaqueSuite.P256_SHA256.identifier());
            }
            if (suite == OpaqueSuite.RISTRETTO255_X25519_SHA512) {
                // no browser library speaks it; it exists in opaque-java for the RFC vectors
                throw new IllegalStateException("Keyward OPAQUE: suite " + suiteId + " has no browser client; use "
                        + OpaqueSuite.RISTRETTO255_SHA512.identifier() + " or " + OpaqueSuite.P256_SHA256.identifier());
            }
            Argon2idKsf defaults = Argon2idKsf.memoryConstrained();
            int t = intOption(config, OpaqueConstants.CONFIG_KSF_ITERATIONS, defaults.iterations());
            int m = intOption(config, OpaqueConstants.CONFIG_KSF_MEMORY, defaults.memoryKiB());
            int p = intOption(config, OpaqueConstants.CONFIG_KSF_PARALLELISM, defaults.parallelism());
            try {
                return new Settings(suite, new Argon2idKsf(t, m, p));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "Keyward OPAQUE: invalid Argon2id parameters t=" + t + " m=" + m + " p=" + p);
            }
        }

        private static String orDefault(String v, String d) {
            return v == null || v.isBlank() ? d : v;
        }

        private static int intOption(Source config, String key, int def) {
            String v = config.get(key);
            if (v == null || v.isBlank()) {
                return def;
            }
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalStateException("Keyward OPAQUE: option " + key + " must be an integer");
            }
        }
    }

    OpaqueSuite suite() {
        return suite;
    }

    Argon2idKsf ksf() {
        return ksf;
    }

    SetupKeyring keyring() {
        return keyring;
    }

    /** @return the realm's server under the active setup secret */
    RealmServer realmServer(RealmModel realm) {
        return realmServer(realm, keyring.activeId());
    }

    /** @return the realm's server under setup secret {@code keyId}, or null if the ring does not hold it */
    RealmServer realmServer(RealmModel realm, String keyId) {
        byte[] secret = keyring.secret(keyId);
        if (secret == null) {
            return null;
        }
        // key ids cannot contain '/', realm ids are UUIDs or names
        String cacheKey = keyId + "/" + realm.getId();
        RealmServer cached = servers.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        if (servers.size() >= CACHE_LIMIT) {
            servers.clear();
        }
        String realmId = realm.getId();
        return servers.computeIfAbsent(cacheKey, k -> {
            SetupDerivation.RealmKeys keys = SetupDerivation.derive(secret, suite, realmId);
            OpaqueConfiguration configuration = new OpaqueConfiguration(suite, new byte[0], ksf);
            return new RealmServer(new OpaqueServer(configuration, keys.setup()), keys);
        });
    }

    /** Once the database is migrated: the start-up warning of {@link #warnOutsideRing}. */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                KeycloakModelUtils.runJobInTransaction(factory, this::warnOutsideRing);
            }
        });
    }

    /**
     * One WARN per realm with OPAQUE credentials under ids this node's ring does not hold: those
     * users cannot sign in with their password (they are answered like no password) until the id
     * is retired. One grouped count query for all realms; a failure is logged, never fatal.
     */
    private void warnOutsideRing(KeycloakSession session) {
        try {
            Map<String, Long> byRealm = CredentialsByKeyId.outsideRingByRealm(
                    session.getProvider(JpaConnectionProvider.class).getEntityManager(), keyring.ids());
            byRealm.forEach((realmId, count) -> {
                RealmModel realm = session.realms().getRealm(realmId);
                String name = realm == null ? realmId : realm.getName();
                LOG.warnf(
                        "Realm %s: %d OPAQUE passwords are under setup-secret ids that this node's keyring %s does not"
                                + " hold; those users cannot sign in with their password until the id is retired"
                                + " (GET /admin/realms/%s/%s/keys, then POST .../keys/{id}/retire)",
                        name, count, keyring.ids(), name, OpaqueConstants.ADMIN_RESOURCE_ID);
            });
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Could not count OPAQUE passwords under setup-secret ids outside the keyring: %s",
                    e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        servers.values().forEach(s -> s.keys().destroy());
        servers.clear();
        if (keyring != null) {
            keyring.destroy();
        }
    }

    @Override
    public String getId() {
        return OpaqueConstants.KEYS_PROVIDER_ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property()
                .name(OpaqueConstants.CONFIG_SETUP_SECRET)
                .type("string")
                .secret(true)
                .helpText("Base64 of at least 32 random bytes; every realm's OPAQUE keys derive from it."
                        + " Required in production (or setup-secrets); start-dev generates one. Key id 1.")
                .add()
                .property()
                .name(OpaqueConstants.CONFIG_SETUP_SECRETS)
                .type("string")
                .secret(true)
                .helpText("Keyring of setup secrets, id:base64,id:base64 (instead of setup-secret), for online"
                        + " rotation, oldest first; each credential keeps working under the id it was registered"
                        + " with and moves only toward a later one.")
                .add()
                .property()
                .name(OpaqueConstants.CONFIG_ACTIVE_SETUP_SECRET)
                .type("string")
                .helpText("The id in setup-secrets that new registrations use; may be omitted for a ring of one.")
                .add()
                .property()
                .name(OpaqueConstants.CONFIG_SUITE)
                .type("string")
                .defaultValue(OpaqueSuite.RISTRETTO255_SHA512.identifier())
                .options(OpaqueSuite.RISTRETTO255_SHA512.identifier(), OpaqueSuite.P256_SHA256.identifier())
                .helpText("OPAQUE cipher suite.")
                .add()
                .property()
                .name(OpaqueConstants.CONFIG_KSF_ITERATIONS)
                .type("int")
                .defaultValue(3)
                .helpText("Argon2id iterations run by the browser.")
                .add()
                .property()
                .name(OpaqueConstants.CONFIG_KSF_MEMORY)
                .type("int")
                .defaultValue(65536)
                .helpText("Argon2id memory (KiB) used by the browser.")
                .add()
                .property()
                .name(OpaqueConstants.CONFIG_KSF_PARALLELISM)
                .type("int")
                .defaultValue(4)
                .helpText("Argon2id lanes.")
                .add()
                .property()
                .name(OpaqueConstants.CONFIG_DEV_SECRET_FILE)
                .type("string")
                .helpText(
                        "start-dev only: file holding the generated secret (default data/keyward/opaque-setup-secret).")
                .add()
                .build();
    }
}
