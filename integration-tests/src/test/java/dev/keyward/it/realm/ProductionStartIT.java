package dev.keyward.it.realm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.it.harness.DistributionCopy;
import dev.keyward.it.harness.ItConfig;
import dev.keyward.it.harness.KeycloakServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kc.sh start} (production) with the pack, in its own copy of the distribution: without a
 * usable OPAQUE setup secret the server refuses to boot and says which option to set, without
 * echoing the value; with the secret in Keycloak's config keystore it boots, and
 * {@code kc.sh show-config} masks it (an environment variable or a CLI option would be printed).
 * Dev H2, no realm import: only start-up is under test.
 */
class ProductionStartIT {
    private static final String OPTION = "kc.spi-keyward-opaque-keys--default--setup-secret";
    private static final String ENV = "KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__SETUP_SECRET";
    /** The example value opaque-authenticator/README.md ("OPAQUE server configuration") shows; the pack refuses it. */
    private static final String README_EXAMPLE = "a2V5d2FyZC1leGFtcGxlLXNlY3JldC1kby1ub3QtdXNlLWluLXByb2R1Y3Rpb24";

    private static final String VAULT_OPTION = "kc.spi-keyward-vault--default--keys";
    private static final String VAULT_ENV = "KC_SPI_KEYWARD_VAULT__DEFAULT__KEYS";
    private static final String VAULT_ACTIVE_ENV = "KC_SPI_KEYWARD_VAULT__DEFAULT__ACTIVE_KEY";
    /** The vault key provider-credential-vault/README.md ("Keys") shows; the pack refuses it. */
    private static final String README_VAULT_EXAMPLE = "LzZDulry+clEH4Lp38MRJJyIB7p1rca5W0isotSUhwQ=";

    private static final String TOKENS_ENV = "KC_SPI_KEYWARD_API_TOKENS__DEFAULT__KEYS";
    /** Every start gets API-token keys unless a test names the variable (empty: unset). */
    private static final String TOKENS_KEYS = "t1:" + randomBase64(32);

    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    /** Valid values, for the tests about the other secret. */
    private static final String OPAQUE_SECRET = randomBase64(32);

    private static final String VAULT_KEYS = "k1:" + randomBase64(32);

    private static Path home;

    @BeforeAll
    static void buildProductionServer() throws Exception {
        Path workDir = Path.of(ItConfig.get("keyward.it.work.dir", "target")).toAbsolutePath();
        Path source = Path.of(ItConfig.get("keyward.it.keycloak.home", "../keycloak-dist/target/keycloak"))
                .toAbsolutePath();
        home = DistributionCopy.fresh(source, workDir.resolve("keycloak-prod"));
        Run build = run(List.of("build", "--db=dev-file", "--health-enabled=true"), Map.of());
        assertEquals(0, build.exitCode(), build.output());
    }

    @Test
    void refusesToStartWithoutASecret() throws Exception {
        Run start = run(startArgs(KeycloakServer.freePort(), KeycloakServer.freePort()), Map.of(VAULT_ENV, VAULT_KEYS));
        assertNotEquals(0, start.exitCode());
        assertTrue(start.output().contains("Keyward OPAQUE setup secret is not configured"), start.output());
        assertTrue(start.output().contains("--spi-keyward-opaque-keys--default--setup-secret"), start.output());
    }

    @Test
    void refusesAShortSecretWithoutPrintingIt() throws Exception {
        byte[] sixteen = new byte[16];
        new SecureRandom().nextBytes(sixteen);
        String shortSecret = Base64.getEncoder().encodeToString(sixteen);
        Run start = run(
                startArgs(KeycloakServer.freePort(), KeycloakServer.freePort()),
                Map.of(ENV, shortSecret, VAULT_ENV, VAULT_KEYS));
        assertNotEquals(0, start.exitCode());
        assertTrue(start.output().contains("decodes to 16 bytes; at least 32 are required"), start.output());
        assertFalse(start.output().contains(shortSecret), "the refused secret was printed");
    }

    @Test
    void refusesTheDocumentationExample() throws Exception {
        Run start = run(
                startArgs(KeycloakServer.freePort(), KeycloakServer.freePort()),
                Map.of(ENV, README_EXAMPLE, VAULT_ENV, VAULT_KEYS));
        assertNotEquals(0, start.exitCode());
        assertTrue(start.output().contains("is an example value from the documentation"), start.output());
        assertFalse(start.output().contains(README_EXAMPLE), "the refused secret was printed");
    }

    @Test
    void startsWithTheSecretInTheConfigKeystoreAndShowConfigMasksIt() throws Exception {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getEncoder().encodeToString(random);
        String storePassword = KeycloakServer.randomSecret();
        Path keystore = home.resolve("conf/keyward-secrets.p12");
        writeConfigKeystore(keystore, storePassword, Map.of(OPTION, secret, VAULT_OPTION, VAULT_KEYS));
        List<String> keystoreArgs =
                List.of("--config-keystore=" + keystore, "--config-keystore-password=" + storePassword);

        Run shown = run(concat(List.of("show-config"), keystoreArgs), Map.of());
        assertEquals(0, shown.exitCode(), shown.output());
        assertTrue(shown.output().contains(OPTION + " =  ******* (config-keystore)"), shown.output());
        assertFalse(shown.output().contains(secret), "show-config printed the setup secret");
        assertTrue(shown.output().contains(VAULT_OPTION + " =  ******* (config-keystore)"), shown.output());
        assertFalse(shown.output().contains(VAULT_KEYS.substring(3)), "show-config printed a vault key");

        int management = KeycloakServer.freePort();
        List<String> args = concat(startArgs(KeycloakServer.freePort(), management), keystoreArgs);
        Process server = start(args, Map.of(), home.resolve("../keycloak-prod.log"));
        try {
            KeycloakServer.awaitReady(server, management, Instant.now().plus(TIMEOUT));
            String log = Files.readString(home.resolve("../keycloak-prod.log"));
            assertTrue(log.contains("OPAQUE keys ready"), log);
            assertFalse(log.contains(secret), "the setup secret reached the log");
            assertTrue(log.contains("Keyward vault: keyring [k1], active key 'k1'"), log);
            assertFalse(log.contains(VAULT_KEYS.substring(3)), "a vault key reached the log");
        } finally {
            KeycloakServer.stopProcessTree(server);
        }
    }

    @Test
    void refusesToStartWithoutAVaultKeyring() throws Exception {
        Run start = run(startArgs(KeycloakServer.freePort(), KeycloakServer.freePort()), Map.of(ENV, OPAQUE_SECRET));
        assertNotEquals(0, start.exitCode());
        assertTrue(start.output().contains("Keyward vault keyring is not configured"), start.output());
        assertTrue(start.output().contains("--spi-keyward-vault--default--keys"), start.output());
    }

    @Test
    void refusesEachKindOfBadKeyringWithoutPrintingAKey() throws Exception {
        String good = randomBase64(32);
        String text = java.util.Base64.getEncoder()
                .encodeToString("correct horse battery staple 123".getBytes(StandardCharsets.US_ASCII));
        String sixteen = randomBase64(16);
        Map<String, Map<String, String>> cases = new java.util.LinkedHashMap<>();
        cases.put("decodes to 16 bytes; exactly 32 are required", Map.of(VAULT_ENV, "k1:" + sixteen));
        cases.put("is an example value from the documentation", Map.of(VAULT_ENV, "k1:" + README_VAULT_EXAMPLE));
        cases.put("does not look like 32 random bytes", Map.of(VAULT_ENV, "k1:" + text));
        cases.put("lists key id 'k1' twice", Map.of(VAULT_ENV, "k1:" + good + ",k1:" + randomBase64(32)));
        cases.put("does not contain the active key id 'k9'", Map.of(VAULT_ENV, "k1:" + good, VAULT_ACTIVE_ENV, "k9"));
        for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) {
            Map<String, String> env = new java.util.HashMap<>(c.getValue());
            env.put(ENV, OPAQUE_SECRET);
            Run start = run(startArgs(KeycloakServer.freePort(), KeycloakServer.freePort()), env);
            assertNotEquals(0, start.exitCode(), c.getKey());
            assertTrue(
                    start.output().contains("Keyward vault keyring")
                            && start.output().contains(c.getKey()),
                    start.output());
            for (String key : List.of(good, sixteen, README_VAULT_EXAMPLE, text)) {
                assertFalse(start.output().contains(key), "a refused key was printed");
            }
        }
    }

    /** The OPAQUE setup-secret keyring (online rotation) meets the vault keyring's rules, and never prints a secret. */
    @Test
    void refusesEachKindOfBadSetupKeyringWithoutPrintingASecret() throws Exception {
        String ringEnv = "KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__SETUP_SECRETS";
        String activeEnv = "KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__ACTIVE_SETUP_SECRET";
        String good = randomBase64(32);
        String other = randomBase64(32);
        String sixteen = randomBase64(16);
        Map<String, Map<String, String>> cases = new java.util.LinkedHashMap<>();
        cases.put(
                "secret '2' decodes to 16 bytes; at least 32 are required",
                Map.of(ringEnv, "1:" + good + ",2:" + sixteen, activeEnv, "2"));
        cases.put(
                "secret '2' is an example value from the documentation",
                Map.of(ringEnv, "1:" + good + ",2:" + README_EXAMPLE, activeEnv, "2"));
        cases.put("lists key id '1' twice", Map.of(ringEnv, "1:" + good + ",1:" + other, activeEnv, "1"));
        cases.put(
                "does not contain the active key id '3'", Map.of(ringEnv, "1:" + good + ",2:" + other, activeEnv, "3"));
        cases.put("not both", Map.of(ringEnv, "2:" + other, ENV, good, activeEnv, "2"));
        for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) {
            Map<String, String> env = new java.util.HashMap<>(c.getValue());
            env.put(VAULT_ENV, VAULT_KEYS);
            Run start = run(startArgs(KeycloakServer.freePort(), KeycloakServer.freePort()), env);
            assertNotEquals(0, start.exitCode(), c.getKey());
            assertTrue(
                    start.output().contains("Keyward OPAQUE") && start.output().contains(c.getKey()), start.output());
            for (String secret : List.of(good, other, sixteen, README_EXAMPLE)) {
                assertFalse(start.output().contains(secret), "a refused secret was printed");
            }
        }
    }

    /**
     * The pack's options as docker-compose.yml passes them: the rotation's keyring and active id,
     * and the vault's active key, empty while .env does not set them; then, while rotating, the
     * single setup secret emptied by the documented override file (docs/installing.md). Keycloak
     * reads an empty option as an unset one, so both start.
     */
    @Test
    void startsWithComposesEnvironmentAndWithTheRotationOverride() throws Exception {
        Map<String, String> dotEnv = Map.of(
                "KEYWARD_OPAQUE_SETUP_SECRET",
                OPAQUE_SECRET,
                "KEYWARD_VAULT_KEYS",
                VAULT_KEYS,
                "KEYWARD_API_TOKEN_KEYS",
                TOKENS_KEYS);
        Map<String, String> plain = DeploymentFilesTest.keycloakSpiEnvironment(dotEnv, null);
        assertEquals("", plain.get("KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__SETUP_SECRETS"), plain::toString);
        assertEquals("", plain.get("KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__ACTIVE_SETUP_SECRET"), plain::toString);
        assertEquals("", plain.get(VAULT_ACTIVE_ENV), plain::toString);
        String log = startedLog(plain);
        assertTrue(log.contains("OPAQUE keys ready: setup secrets [1], active '1'"), log);

        Map<String, String> rotating = new java.util.HashMap<>(dotEnv);
        rotating.put("KEYWARD_OPAQUE_SETUP_SECRETS", "1:" + OPAQUE_SECRET + ",2:" + randomBase64(32));
        rotating.put("KEYWARD_OPAQUE_ACTIVE_SETUP_SECRET", "2");
        Map<String, String> overridden =
                DeploymentFilesTest.keycloakSpiEnvironment(rotating, DeploymentFilesTest.rotationOverride());
        assertEquals("", overridden.get(ENV), overridden::toString);
        log = startedLog(overridden);
        assertTrue(log.contains("OPAQUE keys ready: setup secrets [1, 2], active '2'"), log);
    }

    /** Starts Keycloak with this environment, waits until it is ready, stops it, and returns its log. */
    private static String startedLog(Map<String, String> env) throws Exception {
        int management = KeycloakServer.freePort();
        Path log = Files.createTempFile(home.getParent(), "kc-compose-", ".log");
        Process server = start(startArgs(KeycloakServer.freePort(), management), env, log);
        try {
            KeycloakServer.awaitReady(server, management, Instant.now().plus(TIMEOUT));
            String output = Files.readString(log);
            assertTrue(output.contains("Keyward vault: keyring [k1], active key 'k1'"), output);
            assertFalse(output.contains(OPAQUE_SECRET), "the setup secret reached the log");
            assertFalse(output.contains(VAULT_KEYS.substring(3)), "a vault key reached the log");
            return output;
        } finally {
            KeycloakServer.stopProcessTree(server);
        }
    }

    /** The header proxy's operator options: a typo must stop the server, not quietly open or close the guard. */
    @Test
    void refusesBadProxyOperatorOptions() throws Exception {
        String prefix = "KC_SPI_REALM_RESTAPI_EXTENSION__HEADER_PROXY__";
        Map<String, Map<String, String>> cases = new java.util.LinkedHashMap<>();
        cases.put(
                "allowed-private-ranges entry 2 is not a CIDR range",
                Map.of(prefix + "ALLOWED_PRIVATE_RANGES", "10.20.0.0/16,10.0.0.1/8"));
        cases.put(
                "allowed-private-ranges entry 1 holds only unspecified, multicast or broadcast",
                Map.of(prefix + "ALLOWED_PRIVATE_RANGES", "224.0.0.0/4"));
        cases.put("allow-metadata-headers must be true or false", Map.of(prefix + "ALLOW_METADATA_HEADERS", "yes"));
        for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) {
            Map<String, String> env = new java.util.HashMap<>(c.getValue());
            env.put(ENV, OPAQUE_SECRET);
            env.put(VAULT_ENV, VAULT_KEYS);
            Run start = run(startArgs(KeycloakServer.freePort(), KeycloakServer.freePort()), env);
            assertNotEquals(0, start.exitCode(), c.getKey());
            assertTrue(start.output().contains(c.getKey()), start.output());
        }
    }

    /** An operator who copies .env.example without replacing its values gets no server. */
    @Test
    void refusesTheEnvExamplePlaceholders() throws Exception {
        Map<String, String> example = DeploymentFilesTest.envExample();
        String opaque = example.get("KEYWARD_OPAQUE_SETUP_SECRET");
        String vault = example.get("KEYWARD_VAULT_KEYS");
        Run start = run(
                startArgs(KeycloakServer.freePort(), KeycloakServer.freePort()),
                Map.of(ENV, opaque, VAULT_ENV, VAULT_KEYS));
        assertNotEquals(0, start.exitCode());
        assertTrue(start.output().contains("is an example value from the documentation"), start.output());
        assertFalse(start.output().contains(opaque), "the refused secret was printed");

        start = run(
                startArgs(KeycloakServer.freePort(), KeycloakServer.freePort()),
                Map.of(ENV, OPAQUE_SECRET, VAULT_ENV, vault));
        assertNotEquals(0, start.exitCode());
        assertTrue(
                start.output().contains("Keyward vault keyring")
                        && start.output().contains("key 'k1' is an example value from the documentation"),
                start.output());
        assertFalse(start.output().contains(vault.substring(3)), "the refused key was printed");

        String tokens = example.get("KEYWARD_API_TOKEN_KEYS");
        start = run(
                startArgs(KeycloakServer.freePort(), KeycloakServer.freePort()),
                Map.of(ENV, OPAQUE_SECRET, VAULT_ENV, VAULT_KEYS, TOKENS_ENV, tokens));
        assertNotEquals(0, start.exitCode());
        assertTrue(
                start.output().contains("Keyward API-token keys")
                        && start.output().contains("key 't1' is an example value from the documentation"),
                start.output());
        assertFalse(start.output().contains(tokens.substring(3)), "the refused key was printed");
    }

    @Test
    void refusesToStartWithoutApiTokenKeys() throws Exception {
        Run start = run(
                startArgs(KeycloakServer.freePort(), KeycloakServer.freePort()),
                Map.of(ENV, OPAQUE_SECRET, VAULT_ENV, VAULT_KEYS, TOKENS_ENV, ""));
        assertNotEquals(0, start.exitCode());
        assertTrue(start.output().contains("Keyward API-token keys are not configured"), start.output());
        assertTrue(start.output().contains("--spi-keyward-api-tokens--default--keys"), start.output());
    }

    private static String randomBase64(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    private static List<String> startArgs(int httpPort, int managementPort) {
        return List.of(
                "start",
                "--optimized",
                "--http-enabled=true",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                "--hostname=http://localhost:" + httpPort);
    }

    /** What {@code keytool -importpass} writes: one PBE secret-key entry per option, named {@code kc.<option>}. */
    private static void writeConfigKeystore(Path file, String password, Map<String, String> options)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        SecretKeyFactory pbe = SecretKeyFactory.getInstance("PBE");
        KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(password.toCharArray());
        for (Map.Entry<String, String> option : options.entrySet()) {
            SecretKey value =
                    pbe.generateSecret(new PBEKeySpec(option.getValue().toCharArray()));
            ks.setEntry(option.getKey(), new KeyStore.SecretKeyEntry(value), protection);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
    }

    private record Run(int exitCode, String output) {}

    /** Runs kc.sh to completion (a refused start exits by itself) and returns its exit code and output. */
    private static Run run(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        Path out = Files.createTempFile(home.getParent(), "kc-", ".log");
        Process p = start(args, env, out);
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            KeycloakServer.stopProcessTree(p);
            throw new AssertionError(
                    "kc.sh " + args.get(0) + " did not finish within " + TIMEOUT + ":\n" + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private static Process start(List<String> args, Map<String, String> env, Path out) throws IOException {
        List<String> command = concat(List.of(home.resolve("bin/kc.sh").toString()), args);
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        // nothing from the test JVM's environment may configure this server by accident
        pb.environment().keySet().removeIf(k -> k.startsWith("KC_"));
        pb.environment().putAll(env);
        pb.environment().putIfAbsent(TOKENS_ENV, TOKENS_KEYS);
        return pb.start();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
