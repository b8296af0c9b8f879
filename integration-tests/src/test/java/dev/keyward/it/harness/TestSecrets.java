package dev.keyward.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret the tests of this JVM handed to Keycloak or got from it: passwords typed, email
 * codes read from mails, tokens issued, keys and secrets configured, provider credentials stored.
 * The test helpers record them as they go; {@code ops.LogScanIT} then looks for each one in the
 * Keycloak logs the suite wrote.
 */
public final class TestSecrets {
    public enum Kind {
        PASSWORD,
        CODE,
        TOKEN,
        KEY,
        PROVIDER_SECRET
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** JSON fields of request bodies that carry a secret: credential values, vault secrets. */
    private static final Set<String> SECRET_FIELDS =
            Set.of("password", "secret", "value", "clientSecret", "client_secret");

    private static final Map<String, Kind> SEEN = new ConcurrentHashMap<>();

    private TestSecrets() {}

    /**
     * Records a secret. Values shorter than 8 characters (6 for codes), holding a {@code ${...}}
     * reference, or masked (Keycloak answers {@code **********} for a secret, which a test may send
     * back with the rest of a representation) are not secrets worth a search: they would match
     * ordinary log text, such as a banner of stars.
     */
    public static void record(Kind kind, String value) {
        if (value == null
                || value.contains("${")
                || value.length() < (kind == Kind.CODE ? 6 : 8)
                || value.chars().allMatch(c -> c == '*')) {
            return;
        }
        SEEN.putIfAbsent(value, kind);
    }

    /** Records the keys of a keyring option ({@code id:base64,id:base64}) or any other secret value. */
    public static void recordConfigured(String option, String value) {
        if (!option.matches("(?i).*(SECRET|KEYS|PASSWORD).*")) {
            return;
        }
        for (String entry : value.split(",")) {
            int colon = entry.indexOf(':');
            record(
                    Kind.KEY,
                    colon > 0 && option.toUpperCase(java.util.Locale.ROOT).endsWith("KEYS")
                            ? entry.substring(colon + 1).trim()
                            : entry.trim());
        }
    }

    /** Records the secret fields of a JSON request body to {@code path} (a vault path makes them provider secrets). */
    public static void recordBody(String path, Object body) {
        if (body == null) {
            return;
        }
        JsonNode tree;
        try {
            tree = body instanceof String s ? JSON.readTree(s) : JSON.valueToTree(body);
        } catch (java.io.IOException | IllegalArgumentException e) {
            return;
        }
        if (path.contains("keyward-vault/")) {
            // stored secrets and credentials are secret; provider definitions (header names and values) are not
            if (path.contains("keyward-vault/secrets/") || path.contains("keyward-vault/credentials/")) {
                walk(Kind.PROVIDER_SECRET, path, tree);
            }
            return;
        }
        walk(Kind.PASSWORD, path, tree);
    }

    private static void walk(Kind kind, String path, JsonNode node) {
        if (node == null) {
            return;
        }
        node.fields().forEachRemaining(field -> {
            JsonNode v = field.getValue();
            if (v.isTextual()
                    && SECRET_FIELDS.contains(field.getKey())
                    && (kind == Kind.PROVIDER_SECRET
                            || !field.getKey().equals("value")
                            || "password".equals(node.path("type").asText()))) {
                record(kind, v.asText());
            } else if (v.isContainerNode()) {
                walk(kind, path, v);
            }
        });
        if (node.isArray()) {
            node.forEach(element -> walk(kind, path, element));
        }
    }

    /** Every secret recorded so far, with its kind. */
    public static Map<String, Kind> all() {
        return Map.copyOf(SEEN);
    }

    /** How many secrets of each kind were recorded. */
    public static Map<Kind, Integer> counts() {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        SEEN.values().forEach(k -> counts.merge(k, 1, Integer::sum));
        return counts;
    }
}
