package dev.keyward.it.realm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The running Keycloak installed the pack's JARs. Keycloak's build step (start-dev runs it) records
 * every JAR it installed from providers/ in its persisted build properties; those are read from the
 * very server the tests talk to; the admin server info then shows the pack's providers registered
 * under their SPIs.
 */
@KeywardTest
class ProvidersLoadedIT {
    private static final List<String> PACK_JARS = List.of(
            "keyward-api-tokens",
            "keyward-common",
            "keyward-email-code-authenticator",
            "keyward-header-proxy",
            "keyward-mfa-policy-flow",
            "keyward-opaque-authenticator",
            "keyward-opaque-java",
            "keyward-provider-credential-vault",
            "keyward-signup-approval",
            "keyward-themes");

    // set by @KeywardTest before @BeforeAll: the shared Keycloak
    private static KeycloakServer keycloak;

    @Test
    void keycloakInstalledThePackJars() throws IOException {
        Properties persisted = persistedBuildProperties();
        List<String> installed = persisted.stringPropertyNames().stream()
                .filter(k -> k.startsWith("kc.provider.file.") && k.endsWith(".last-modified"))
                .map(k -> k.substring("kc.provider.file.".length(), k.length() - ".last-modified".length()))
                .sorted()
                .collect(Collectors.toList());
        for (String jar : PACK_JARS) {
            assertTrue(
                    installed.stream().anyMatch(f -> f.startsWith(jar + "-") && f.endsWith(".jar")),
                    jar + " not among the installed providers " + installed);
        }
        // Keycloak ships BouncyCastle; a second copy in providers/ would split its classes across class loaders
        assertTrue(installed.stream().noneMatch(f -> f.startsWith("bc")), installed::toString);
    }

    @Test
    void packProvidersAreRegisteredUnderTheirSpis() {
        JsonNode spis = new AdminApi(keycloak).serverInfo().path("providers");
        Map<String, List<String>> expected = Map.ofEntries(
                Map.entry(
                        "authenticator",
                        List.of(
                                "keyward-opaque-login",
                                "keyward-opaque-reset",
                                "keyward-email-code",
                                "keyward-second-factor",
                                "keyward-condition-second-factor",
                                "keyward-idp-verified-email",
                                "keyward-federated-login",
                                "keyward-reset-two-factor",
                                "keyward-link-two-factor",
                                "keyward-broker-second-factor",
                                "keyward-direct-grant-refusal",
                                "keyward-signup-approval",
                                "keyward-signup-approval-check")),
                Map.entry(
                        "required-action",
                        List.of(
                                "keyward-opaque-register",
                                "keyward-enable-two-factor",
                                "keyward-disable-two-factor",
                                "keyward-two-factor-check")),
                Map.entry("credential", List.of("keyward-opaque", "keyward-email-code")),
                Map.entry("keyward-opaque-keys", List.of("default")),
                Map.entry("validator", List.of("keyward-two-usable-methods", "keyward-two-factor-email")),
                Map.entry("eventsListener", List.of("keyward-two-factor-revocation", "keyward-opaque-rekey")),
                Map.entry("keyward-vault", List.of("default")),
                Map.entry("keyward-definition-check", List.of("header-proxy")),
                Map.entry("jpa-entity-provider", List.of("keyward-vault")),
                Map.entry("realm-restapi-extension", List.of("keyward-vault", "header-proxy")),
                Map.entry("admin-realm-restapi-extension", List.of("keyward-vault", "keyward-approvals")),
                Map.entry("vault", List.of("keyward")));
        expected.forEach((spi, ids) -> ids.forEach(id -> assertTrue(
                spis.path(spi).path("providers").has(id), () -> id + " is not registered under SPI " + spi)));
    }

    @Test
    void keywardLoginThemeIsAvailable() {
        JsonNode login = new AdminApi(keycloak).serverInfo().path("themes").path("login");
        List<String> names = new java.util.ArrayList<>();
        login.forEach(t -> names.add(t.path("name").asText()));
        assertTrue(names.contains("keyward"), names::toString);
    }

    @Test
    void providersDirectoryHoldsOnlyThePack() throws IOException {
        try (Stream<Path> files = Files.list(keycloak.home().resolve("providers"))) {
            List<String> jars = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jar"))
                    .sorted()
                    .collect(Collectors.toList());
            assertEquals(PACK_JARS.size(), jars.size(), jars::toString);
            for (String jar : PACK_JARS) {
                assertTrue(jars.stream().anyMatch(f -> f.startsWith(jar + "-")), jars::toString);
            }
        }
    }

    @Test
    void noErrorFromThePackInTheLog() throws IOException {
        try (Stream<String> lines = Files.lines(keycloak.logFile())) {
            List<String> errors = lines.filter(l -> l.contains("ERROR") && l.contains("dev.keyward"))
                    .collect(Collectors.toList());
            assertTrue(errors.isEmpty(), errors::toString);
        }
    }

    private static Properties persistedBuildProperties() throws IOException {
        Path jar = keycloak.home().resolve("lib/quarkus/generated-bytecode.jar");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry("META-INF/keycloak-persisted.properties");
            assertTrue(entry != null, "no persisted build properties in " + jar);
            Properties props = new Properties();
            try (InputStream in = zip.getInputStream(entry)) {
                props.load(in);
            }
            return props;
        }
    }
}
