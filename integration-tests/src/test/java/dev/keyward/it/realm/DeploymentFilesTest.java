package dev.keyward.it.realm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.it.harness.ItConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files an operator takes as they are: docker-compose.yml, .env.example,
 * deploy/keycloak.conf and the release bundle. No Docker engine runs here, so the compose file's
 * structure is checked: images, the production command, mounts that exist after the build, ports,
 * and that every secret must come from .env with no default.
 */
class DeploymentFilesTest {
    private static final Path ROOT =
            Path.of(ItConfig.get("keyward.it.root", "..")).toAbsolutePath().normalize();
    /** ${VAR:?message}: compose refuses to start while VAR is unset or empty. */
    private static final Pattern REQUIRED = Pattern.compile("^\\$\\{([A-Z0-9_]+):\\?[^}]+}$");

    private static final Pattern ANY_VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)([^}]*)}");
    /** Environment keys that carry a secret, in any service. */
    private static final Pattern SECRET_KEY = Pattern.compile(".*(PASSWORD|SECRETS?|_KEYS)$");
    /**
     * The only secrets compose may leave empty, in the only form allowed: the OPAQUE setup-secret
     * rotation's keyring and active id (docs/installing.md, "Rotating the OPAQUE setup secret with
     * compose"). An empty one reaches Keycloak as an unset option (ProductionStartIT); the single
     * setup secret stays required.
     */
    static final Map<String, String> OPTIONAL_SECRETS = Map.of(
            "KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__SETUP_SECRETS", "${KEYWARD_OPAQUE_SETUP_SECRETS:-}",
            "KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__ACTIVE_SETUP_SECRET", "${KEYWARD_OPAQUE_ACTIVE_SETUP_SECRET:-}");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws IOException {
        return new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) throws IOException {
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        Map<String, Object> service = (Map<String, Object>) services.get(name);
        assertNotNull(service, "no service " + name + " in docker-compose.yml");
        return service;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        ((Map<String, Object>) service.getOrDefault("environment", Map.of()))
                .forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    private static String keycloakVersion() throws IOException {
        Matcher m = Pattern.compile("<keycloak.version>([^<]+)</keycloak.version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertTrue(m.find(), "keycloak.version in pom.xml");
        return m.group(1);
    }

    @Test
    void servicesAreKeycloakOfTheBuiltVersionPostgresAndAMailCatcher() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        assertEquals(Set.of("keycloak", "postgres", "mailpit"), services.keySet());
        assertEquals(
                "quay.io/keycloak/keycloak:" + keycloakVersion(),
                service("keycloak").get("image"));
        assertTrue(String.valueOf(service("postgres").get("image")).matches("postgres:\\d+\\.\\d+"), "pinned postgres");
        assertTrue(
                String.valueOf(service("mailpit").get("image")).matches("axllent/mailpit:v\\d+\\.\\d+\\.\\d+"),
                "pinned mailpit");
    }

    @Test
    void keycloakRunsInProductionModeAndImportsTheRealm() throws IOException {
        assertEquals(List.of("start", "--import-realm"), service("keycloak").get("command"));
        Map<String, String> env = environment(service("keycloak"));
        assertEquals("jdbc:postgresql://postgres:5432/keycloak", env.get("KC_DB_URL"));
        assertTrue(env.get("KC_HOSTNAME").startsWith("${KEYWARD_HOSTNAME:?"), env.get("KC_HOSTNAME"));
        assertTrue(env.keySet().stream().noneMatch(k -> k.startsWith("KC_") && k.contains("DEV")), env::toString);
        // the production-only parts of the configuration come from the mounted keycloak.conf
        String conf = Files.readString(ROOT.resolve("deploy/keycloak.conf"));
        for (String line : List.of(
                "db=postgres",
                "hostname=https://",
                "proxy-headers=xforwarded",
                "proxy-trusted-addresses=",
                "health-enabled=true",
                "metrics-enabled=true",
                "http-management-port=9000",
                "cache=ispn",
                "spi-vault--keyward--enabled=true")) {
            assertTrue(conf.lines().anyMatch(l -> l.startsWith(line)), "keycloak.conf lacks " + line);
        }
    }

    /**
     * Issue 17, item 10: forwarded headers are believed from the proxy's own address only, never a
     * network (anything else there could claim any client address): compose trusts the gateway of
     * its fixed-subnet network, which is where the host's reverse proxy comes from.
     */
    @Test
    @SuppressWarnings("unchecked")
    void onlyTheProxysOwnAddressIsTrustedWithForwardedHeaders() throws IOException {
        String trusted = environment(service("keycloak")).get("KC_PROXY_TRUSTED_ADDRESSES");
        assertEquals("${KEYWARD_TRUSTED_PROXIES:-172.30.0.1}", trusted);
        Map<String, Object> network =
                (Map<String, Object>) ((Map<String, Object>) compose().get("networks")).get("default");
        List<Map<String, Object>> ipam =
                (List<Map<String, Object>>) ((Map<String, Object>) network.get("ipam")).get("config");
        assertEquals(List.of(Map.of("subnet", "172.30.0.0/24", "gateway", "172.30.0.1")), ipam);
        String conf = Files.readString(ROOT.resolve("deploy/keycloak.conf"));
        String line = conf.lines()
                .filter(l -> l.startsWith("proxy-trusted-addresses="))
                .findFirst()
                .orElseThrow();
        for (String entry : line.substring(line.indexOf('=') + 1).split(",")) {
            assertTrue(
                    !entry.contains("/") || entry.endsWith("/32") || entry.endsWith("/128"),
                    "a network is trusted: " + line);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void mountsTheBuiltProvidersTheConfAndTheRealmExportReadOnly() throws IOException {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object volume : (List<Object>) service("keycloak").get("volumes")) {
            String[] parts = String.valueOf(volume).split(":");
            assertEquals(3, parts.length, "host:container:ro expected, got " + volume);
            assertEquals("ro", parts[2], volume + " must be read-only");
            mounts.put(parts[1], parts[0]);
        }
        assertEquals(
                Set.of(
                        "/opt/keycloak/providers",
                        "/opt/keycloak/conf/keycloak.conf",
                        "/opt/keycloak/data/import/keyward-realm.json"),
                mounts.keySet());
        for (String host : mounts.values()) {
            assertTrue(Files.exists(ROOT.resolve(host).normalize()), host + " does not exist after the build");
        }
        // the production realm, under the only name --import-realm reads for realm keyward
        assertEquals(
                "./realm-export/keyward-production.json", mounts.get("/opt/keycloak/data/import/keyward-realm.json"));
        Path providers = ROOT.resolve(mounts.get("/opt/keycloak/providers"));
        for (String module : List.of(
                "opaque-authenticator",
                "email-code-authenticator",
                "mfa-policy-flow",
                "provider-credential-vault",
                "header-proxy",
                "signup-approval",
                "themes",
                "opaque-java")) {
            try (var files = Files.list(providers)) {
                assertTrue(
                        files.anyMatch(f -> f.getFileName().toString().startsWith("keyward-" + module + "-")),
                        module + " JAR not in " + providers);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void onlyKeycloaksHttpPortAndMailpitsUiArePublishedAndOnlyOnLoopback() throws IOException {
        assertEquals(List.of("127.0.0.1:8080:8080"), service("keycloak").get("ports"));
        assertEquals(List.of("127.0.0.1:8025:8025"), service("mailpit").get("ports"));
        assertFalse(service("postgres").containsKey("ports"), "the database is published");
        // health is asked on the management port inside the container
        String health =
                String.valueOf(((Map<String, Object>) service("keycloak").get("healthcheck")).get("test"));
        assertTrue(health.contains("/dev/tcp/127.0.0.1/9000") && health.contains("/health/ready"), health);
        Map<String, Object> dependsOn =
                (Map<String, Object>) service("keycloak").get("depends_on");
        assertEquals("service_healthy", ((Map<String, Object>) dependsOn.get("postgres")).get("condition"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everySecretIsRequiredFromTheEnvFileAndNoneHasADefault() throws IOException {
        Set<String> required = new LinkedHashSet<>();
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        for (Map.Entry<String, Object> s : services.entrySet()) {
            for (Map.Entry<String, String> e :
                    environment((Map<String, Object>) s.getValue()).entrySet()) {
                Matcher any = ANY_VARIABLE.matcher(e.getValue());
                while (any.find()) {
                    boolean secret = SECRET_KEY.matcher(e.getKey()).matches()
                            || SECRET_KEY.matcher(any.group(1)).matches();
                    if (secret && OPTIONAL_SECRETS.containsKey(e.getKey())) {
                        assertEquals("keycloak", s.getKey(), e.getKey());
                        assertEquals(OPTIONAL_SECRETS.get(e.getKey()), e.getValue(), "the documented optional form");
                    } else if (secret) {
                        assertTrue(
                                REQUIRED.matcher(e.getValue()).matches(),
                                s.getKey() + " " + e.getKey() + " takes a secret but not as ${VAR:?message}: "
                                        + e.getValue());
                    }
                    if (any.group(2).startsWith(":?")) {
                        required.add(any.group(1));
                    }
                }
                if (SECRET_KEY.matcher(e.getKey()).matches()) {
                    assertTrue(e.getValue().startsWith("${"), s.getKey() + " " + e.getKey() + " has a literal value");
                }
            }
        }
        assertTrue(
                required.containsAll(List.of(
                        "KEYWARD_DB_PASSWORD",
                        "KEYWARD_ADMIN_PASSWORD",
                        "KEYWARD_OPAQUE_SETUP_SECRET",
                        "KEYWARD_VAULT_KEYS",
                        "KEYWARD_API_TOKEN_KEYS",
                        "KEYWARD_HOSTNAME")),
                required::toString);
        Map<String, String> keycloak = environment(service("keycloak"));
        assertEquals(
                "${KEYWARD_OPAQUE_SETUP_SECRET:?",
                keycloak.get("KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__SETUP_SECRET")
                        .substring(0, 31));
        assertTrue(keycloak.get("KC_SPI_KEYWARD_VAULT__DEFAULT__KEYS").startsWith("${KEYWARD_VAULT_KEYS:?"));
        for (Map.Entry<String, String> optional : OPTIONAL_SECRETS.entrySet()) {
            assertEquals(optional.getValue(), keycloak.get(optional.getKey()), optional.getKey());
        }

        // .env.example names every required variable, with a placeholder, never a real-looking value
        Map<String, String> example = envExample();
        assertEquals(required, new LinkedHashSet<>(example.keySet()), "variables .env.example lists");
        for (Map.Entry<String, String> e : example.entrySet()) {
            if (e.getKey().equals("KEYWARD_HOSTNAME")) {
                assertEquals("https://auth.example.com", e.getValue());
            } else if (e.getKey().startsWith("KEYWARD_SMTP_")) {
                assertTrue(e.getValue().endsWith("example.com"), e.getKey() + " is not an example.com placeholder");
            } else if (!e.getKey().equals("KEYWARD_OPAQUE_SETUP_SECRET")
                    && !e.getKey().equals("KEYWARD_VAULT_KEYS")
                    && !e.getKey().equals("KEYWARD_API_TOKEN_KEYS")) {
                assertTrue(e.getValue().startsWith("CHANGE-ME"), e.getKey() + " is not a placeholder");
            }
        }
        assertTrue(
                Files.readString(ROOT.resolve(".gitignore")).lines().anyMatch(".env"::equals),
                ".env is not ignored by git");
    }

    /**
     * Every {@code ${VAR}} of the production realm (Keycloak puts the environment variable there at
     * import) reaches the container: one without a default is required, one with a default gets the
     * same default from compose, so an unset variable never lands in the realm as literal text.
     * {@code ${vault.NAME}} is no variable: Keycloak leaves it for its vault.
     */
    @Test
    void everyVariableOfTheProductionRealmIsPassedToKeycloak() throws IOException {
        String realm = Files.readString(ROOT.resolve("realm-export/keyward-production.json"));
        Map<String, String> env = environment(service("keycloak"));
        Matcher placeholder = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}").matcher(realm);
        Set<String> seen = new LinkedHashSet<>();
        while (placeholder.find()) {
            String name = placeholder.group(1);
            if (!name.matches("[A-Z0-9_]+")) {
                // Keycloak's own message keys (${role_...}), the mapper syntax and ${vault.*}: not variables
                continue;
            }
            seen.add(name);
            String passed = env.get(name);
            assertNotNull(passed, name + " is read by the production realm but not passed by compose");
            if (placeholder.group(2) == null) {
                assertTrue(REQUIRED.matcher(passed).matches(), name + " has no default in the realm: " + passed);
            } else {
                assertEquals("${" + name + ":-" + placeholder.group(2) + "}", passed, name);
            }
        }
        assertTrue(seen.containsAll(List.of("KEYWARD_SMTP_HOST", "KEYWARD_SMTP_FROM")), seen::toString);
        assertTrue(realm.contains("\"password\": \"${vault.smtp_password}\""), "the SMTP password is not the vault's");
        assertFalse(env.containsKey("KEYWARD_UPSTREAM_SECRET"), "the demo's identity provider secret");
    }

    /**
     * The rotation's override file, as docs/installing.md shows it: it empties the single setup
     * secret compose passes, and nothing else.
     */
    @Test
    void theDocumentedRotationOverrideEmptiesTheSingleSetupSecretOnly() throws IOException {
        assertEquals(
                Map.of(
                        "services",
                        Map.of(
                                "keycloak",
                                Map.of(
                                        "environment",
                                        Map.of("KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__SETUP_SECRET", "")))),
                rotationOverride());
    }

    /** The YAML block docs/installing.md gives for docker-compose.override.yml. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> rotationOverride() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/installing.md"));
        int named = doc.indexOf("create `docker-compose.override.yml`");
        assertTrue(named >= 0, "docs/installing.md names no docker-compose.override.yml");
        int start = doc.indexOf("```yaml\n", named);
        int end = doc.indexOf("```", start + 7);
        return new Yaml().load(doc.substring(start + 7, end));
    }

    /**
     * The {@code KC_SPI_*} environment compose gives Keycloak for these .env values, with the
     * override's environment (if any) on top, as compose interpolates and merges it: {@code ${V:?}}
     * must be set and non-empty, {@code ${V:-d}} is V unless unset or empty, then d.
     */
    @SuppressWarnings("unchecked")
    static Map<String, String> keycloakSpiEnvironment(Map<String, String> dotEnv, Map<String, Object> override)
            throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        environment(service("keycloak")).forEach((key, value) -> {
            if (key.startsWith("KC_SPI_")) {
                env.put(key, interpolate(value, dotEnv));
            }
        });
        if (override != null) {
            Map<String, Object> keycloak =
                    (Map<String, Object>) ((Map<String, Object>) override.get("services")).get("keycloak");
            ((Map<String, Object>) keycloak.get("environment"))
                    .forEach((key, value) -> env.put(key, interpolate(String.valueOf(value), dotEnv)));
        }
        return env;
    }

    private static String interpolate(String value, Map<String, String> dotEnv) {
        Matcher m = ANY_VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String set = dotEnv.getOrDefault(m.group(1), "");
            String modifier = m.group(2);
            if (modifier.startsWith(":?")) {
                assertFalse(set.isEmpty(), "compose refuses to start without " + m.group(1));
            } else if (modifier.startsWith(":-")) {
                set = set.isEmpty() ? modifier.substring(2) : set;
            } else {
                assertTrue(modifier.isEmpty(), "no such form in the test: " + value);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(set));
        }
        return m.appendTail(out).toString();
    }

    /** The active lines of .env.example, in order. ProductionStartIT starts Keycloak with its pack secrets. */
    static Map<String, String> envExample() throws IOException {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve(".env.example"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            vars.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return vars;
    }

    @Test
    void releaseBundleHoldsEveryJarTheRealmExportTheExampleConfAndTheDocs() throws IOException {
        Path target = ROOT.resolve("keycloak-dist/target");
        Path zip;
        try (var files = Files.list(target)) {
            zip = files.filter(f -> f.getFileName().toString().matches("keyward-.+-bundle\\.zip"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no keyward-*-bundle.zip in " + target));
        }
        assertTrue(Files.exists(Path.of(zip.toString().replace(".zip", ".tar.gz"))), "the tar.gz next to the zip");
        List<String> names = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                names.add(e.nextElement().getName());
            }
        }
        String top = zip.getFileName().toString().replace("-bundle.zip", "") + "/";
        for (String expected : List.of(
                "conf/keycloak.conf.example",
                "realm-export/keyward-realm.json",
                "realm-export/keyward-upstream-realm.json",
                "realm-export/keyward-production.json",
                "SECURITY.md",
                "INSTALL.md")) {
            assertTrue(names.contains(top + expected), expected + " not in " + names);
        }
        try (var files = Files.list(ROOT.resolve("keycloak-dist/target/keycloak/providers"))) {
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
                assertTrue(
                        names.contains(top + "providers/" + jar.getFileName()),
                        jar.getFileName() + " not in the bundle");
            }
        }
        assertTrue(
                names.stream().noneMatch(n -> n.contains("/providers/keycloak-") || n.contains("/providers/bcprov")),
                "the bundle carries a library Keycloak ships: " + names);
        assertEquals(
                Files.readString(ROOT.resolve("deploy/keycloak.conf")),
                read(zip, top + "conf/keycloak.conf.example"),
                "the bundle's example conf is deploy/keycloak.conf");
    }

    private static String read(Path zip, String entry) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return new String(
                    z.getInputStream(z.getEntry(entry)).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
