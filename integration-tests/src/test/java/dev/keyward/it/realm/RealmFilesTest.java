package dev.keyward.it.realm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.common.MessageBundles;
import dev.keyward.it.harness.ItConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The realm files as they are: the production realm ({@code realm-export/keyward-production.json})
 * is the demo realm ({@code keyward-realm.json}) except for the documented differences
 * (docs/installing.md, "Production realm"), so the two cannot drift; and the distribution's
 * {@code data/import} holds only files {@code --import-realm} reads as the realm they name.
 */
class RealmFilesTest {
    private static final Path ROOT =
            Path.of(ItConfig.get("keyward.it.root", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where the production realm may differ from the demo realm, and why. A path covers what is
     * under it (an array's elements, an object's fields).
     */
    static final Map<String, String> DOCUMENTED_DIFFERENCES = Map.ofEntries(
            Map.entry("/displayName", "not the demo"),
            Map.entry("/sslRequired", "HTTPS for every client address; the demo runs on http://localhost"),
            Map.entry(
                    "/verifyEmail",
                    "the email code and two-factor sign-in count verified addresses only; the demo's users are"
                            + " verified by the export"),
            Map.entry(
                    "/roles/realm[name=default-roles-keyward]/composites/realm",
                    "no offline_access by default: offline tokens only for users an admin grants the role"),
            // Keycloak's import adds offline_access to the default roles of a realm whose file lacks
            // the offline_access client scope (RealmManager.setupOfflineTokens): the production realm
            // carries the scope as Keycloak creates it, with its role mapping and as an optional scope
            Map.entry("/clientScopes[name=offline_access]", "Keycloak's built-in scope, so the import keeps the roles"),
            Map.entry("/defaultOptionalClientScopes", "the built-in scope's place, as Keycloak gives it"),
            Map.entry("/scopeMappings", "the built-in scope's role, as Keycloak maps it"),
            Map.entry(
                    "/smtpServer",
                    "the operator's SMTP server from environment variables, its password from the vault"),
            Map.entry("/clients", "no demo client: operators add their applications"),
            Map.entry("/identityProviders", "no test identity provider upstream"),
            Map.entry("/identityProviderMappers", "upstream's mapper"));

    private static JsonNode read(String name) throws IOException {
        return JSON.readTree(Files.readString(ROOT.resolve("realm-export").resolve(name)));
    }

    /**
     * Fails listing every path where the two files differ beyond the documented differences. A
     * change to the demo realm's flows, required actions, themes, scopes or settings is copied into
     * the production realm: the listed paths are what to copy.
     */
    @Test
    void productionRealmIsTheDemoRealmExceptTheDocumentedDifferences() throws IOException {
        List<String> differences = new ArrayList<>();
        diff("", read("keyward-realm.json"), read("keyward-production.json"), differences);
        List<String> undocumented = differences.stream()
                .filter(difference -> documented(pathOf(difference)) == null)
                .toList();
        assertEquals(
                List.of(),
                undocumented,
                "keyward-production.json differs from keyward-realm.json at these paths (demo value -> production"
                        + " value); copy the demo realm's there, or document the difference");
        assertEquals(
                new TreeSet<>(DOCUMENTED_DIFFERENCES.keySet()),
                new TreeSet<>(differences.stream()
                        .map(difference -> documented(pathOf(difference)))
                        .filter(java.util.Objects::nonNull)
                        .toList()),
                "a documented difference is gone");
    }

    /** What the production realm is for: no demo parts, SMTP from the operator, the pack's hardening on. */
    /** Keycloak keeps names and descriptions in 255-character columns: a longer one stops the import and the server. */
    @Test
    void namesAndDescriptionsFitKeycloaksColumns() throws IOException {
        for (String file : List.of("keyward-realm.json", "keyward-production.json", "keyward-upstream-realm.json")) {
            JsonNode realm = read(file);
            for (String part : List.of("clients", "clientScopes", "identityProviders")) {
                for (JsonNode item : realm.path(part)) {
                    for (String field : List.of("name", "description", "displayName")) {
                        assertTrue(
                                item.path(field).asText().length() <= 255,
                                file + " " + part + " "
                                        + item.path("clientId")
                                                .asText(item.path("name").asText()) + " " + field);
                    }
                }
            }
        }
    }

    @Test
    void productionRealmHasNoDemoPartsAndTheHardeningDefaults() throws IOException {
        JsonNode realm = read("keyward-production.json");
        assertEquals("keyward", realm.path("realm").asText());
        for (String demoOnly : List.of("clients", "identityProviders", "identityProviderMappers", "users")) {
            assertFalse(realm.has(demoOnly), demoOnly);
        }
        for (String demo : List.of("keyward-upstream", "\"upstream\"", "upstream.", "localhost")) {
            assertFalse(realm.toString().contains(demo), "something still names the demo's " + demo);
        }
        JsonNode smtp = realm.path("smtpServer");
        assertEquals("${vault.smtp_password}", smtp.path("password").asText());
        assertEquals("true", smtp.path("auth").asText());
        assertEquals("${KEYWARD_SMTP_HOST}", smtp.path("host").asText());
        assertEquals("${KEYWARD_SMTP_FROM}", smtp.path("from").asText());
        assertTrue(realm.path("bruteForceProtected").asBoolean());
        assertFalse(realm.path("permanentLockout").asBoolean());
        assertEquals("all", realm.path("sslRequired").asText());
        assertTrue(realm.path("verifyEmail").asBoolean());
        for (JsonNode role : realm.path("roles").path("realm")) {
            if ("default-roles-keyward".equals(role.path("name").asText())) {
                assertEquals(
                        List.of("uma_authorization"),
                        JSON.convertValue(role.path("composites").path("realm"), List.class),
                        "the realm's default roles");
            }
        }
        assertFalse(realm.path("registrationAllowed").asBoolean());
        for (JsonNode config : realm.path("authenticatorConfig")) {
            if ("keyward-opaque-login".equals(config.path("alias").asText())) {
                assertEquals(
                        "false", config.path("config").path("legacyMigration").asText());
                return;
            }
        }
        throw new AssertionError("no keyward-opaque-login config");
    }

    /**
     * Both realms' user profile shows {@code two_factor_enabled} as a select whose options read
     * "On"/"Off" in the user's language, not as raw {@code true}/{@code false}: option labels that
     * name messages of mfa-policy-flow, which every language has (its MessagesTest checks them all).
     */
    @Test
    void twoFactorEnabledHasOptionLabels() throws IOException {
        MessageBundles messages =
                MessageBundles.in(ROOT.resolve("mfa-policy-flow/src/main/resources/theme-resources/messages")
                        .toString());
        for (String file : List.of("keyward-realm.json", "keyward-production.json")) {
            JsonNode attribute = userProfileAttribute(read(file), "two_factor_enabled");
            assertEquals(
                    "${keywardTwoFactorEnabled}", attribute.path("displayName").asText(), file);
            JsonNode annotations = attribute.path("annotations");
            assertEquals("select", annotations.path("inputType").asText(), file);
            assertEquals(
                    "[\"true\",\"false\"]",
                    attribute
                            .path("validations")
                            .path("options")
                            .path("options")
                            .toString(),
                    file);
            JsonNode labels = annotations.path("inputOptionLabels");
            assertEquals(
                    List.of("true", "false"),
                    JSON.convertValue(labels, Map.class).keySet().stream().toList(),
                    file);
            assertEquals("${keywardTwoFactorOn}", labels.path("true").asText(), file);
            assertEquals("${keywardTwoFactorOff}", labels.path("false").asText(), file);
        }
        for (String locale : MessageBundles.KEYCLOAK_LOGIN_LOCALES) {
            Map<String, String> texts = messages.texts(locale);
            for (String key : List.of("keywardTwoFactorEnabled", "keywardTwoFactorOn", "keywardTwoFactorOff")) {
                assertFalse(texts.getOrDefault(key, "").isBlank(), locale + " " + key);
            }
        }
        assertEquals("On", messages.texts("en").get("keywardTwoFactorOn"));
        assertEquals("Off", messages.texts("en").get("keywardTwoFactorOff"));
    }

    /** The attribute {@code name} of the realm's declarative user profile (a JSON string in its component). */
    private static JsonNode userProfileAttribute(JsonNode realm, String name) throws IOException {
        JsonNode profile = JSON.readTree(realm.path("components")
                .path("org.keycloak.userprofile.UserProfileProvider")
                .path(0)
                .path("config")
                .path("kc.user.profile.config")
                .path(0)
                .asText());
        for (JsonNode attribute : profile.path("attributes")) {
            if (name.equals(attribute.path("name").asText())) {
                return attribute;
            }
        }
        throw new AssertionError("no user-profile attribute " + name);
    }

    /**
     * {@code --import-realm} reads {@code data/import/<realm>-realm.json} as realm {@code <realm>} and
     * refuses to start on a file whose realm is another. The distribution run.sh and the tests start
     * holds the demo realms only: not the production realm, which is realm keyward a second time.
     */
    @Test
    void theDistributionImportsTheDemoRealmsOnly() throws IOException {
        Path imports = ROOT.resolve("keycloak-dist/target/keycloak/data/import");
        Set<String> names = new LinkedHashSet<>();
        try (var files = Files.list(imports)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                names.add(name);
                assertTrue(name.endsWith("-realm.json"), name + " is not read by --import-realm");
                assertEquals(
                        name.substring(0, name.length() - "-realm.json".length()),
                        JSON.readTree(file.toFile()).path("realm").asText(),
                        name);
                assertEquals(
                        Files.readString(ROOT.resolve("realm-export").resolve(name)),
                        Files.readString(file),
                        name + " is not realm-export's");
            }
        }
        assertEquals(Set.of("keyward-realm.json", "keyward-upstream-realm.json"), names);
    }

    /** The documented difference that covers {@code path}: the path itself or one above it; null if none. */
    private static String documented(String path) {
        for (String documented : DOCUMENTED_DIFFERENCES.keySet()) {
            if (path.equals(documented) || path.startsWith(documented + "/") || path.startsWith(documented + "[")) {
                return documented;
            }
        }
        return null;
    }

    /** {@code /clients} of {@code "/clients: [...] -> (none)"}. */
    private static String pathOf(String difference) {
        return difference.substring(0, difference.indexOf(": "));
    }

    /**
     * Appends "path: demo -> production" for each difference. Arrays of objects that carry an
     * {@code alias}, {@code name} or {@code providerId} are matched by it, so a moved or added
     * element shows as itself, not as every element after it.
     */
    static void diff(String path, JsonNode demo, JsonNode production, List<String> out) {
        if (demo == null || production == null || demo.getNodeType() != production.getNodeType()) {
            if (!(demo == null && production == null)) {
                out.add(path + ": " + show(demo) + " -> " + show(production));
            }
            return;
        }
        if (demo.isObject()) {
            Set<String> keys = new LinkedHashSet<>();
            demo.fieldNames().forEachRemaining(keys::add);
            production.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                diff(path + "/" + key, demo.get(key), production.get(key), out);
            }
        } else if (demo.isArray()) {
            Map<String, JsonNode> left = keyed(demo);
            Map<String, JsonNode> right = keyed(production);
            if (left == null || right == null) {
                for (int i = 0; i < Math.max(demo.size(), production.size()); i++) {
                    diff(path + "[" + i + "]", demo.get(i), production.get(i), out);
                }
                return;
            }
            Set<String> keys = new LinkedHashSet<>(left.keySet());
            keys.addAll(right.keySet());
            for (String key : keys) {
                diff(path + "[" + key + "]", left.get(key), right.get(key), out);
            }
            // an added or removed element shows as itself above; the order is of the common ones
            List<String> leftOrder =
                    left.keySet().stream().filter(right::containsKey).toList();
            List<String> rightOrder =
                    right.keySet().stream().filter(left::containsKey).toList();
            if (!leftOrder.equals(rightOrder)) {
                out.add(path + ": order " + leftOrder + " -> " + rightOrder);
            }
        } else if (!demo.equals(production)) {
            out.add(path + ": " + show(demo) + " -> " + show(production));
        }
    }

    /** The array's elements by their identifying field, or null if they have none (or repeat it). */
    private static Map<String, JsonNode> keyed(JsonNode array) {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            JsonNode element = it.next();
            String key = null;
            for (String field : List.of("alias", "name", "providerId", "clientId")) {
                if (element.path(field).isTextual()) {
                    key = field + "=" + element.path(field).asText();
                    break;
                }
            }
            if (key == null || result.put(key, element) != null) {
                return null;
            }
        }
        return result;
    }

    private static String show(JsonNode node) {
        if (node == null) {
            return "(none)";
        }
        String text = node.toString();
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }
}
