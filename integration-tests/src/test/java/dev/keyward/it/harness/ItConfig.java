package dev.keyward.it.harness;

/**
 * Harness settings: a system property (as Failsafe passes them from the pom or {@code -D}) wins,
 * then the environment variable of the same name in upper case with dots as underscores
 * ({@code keyward.it.db} → {@code KEYWARD_IT_DB}), then the default.
 */
public final class ItConfig {
    private ItConfig() {}

    public static String get(String key, String defaultValue) {
        String value = System.getProperty(key);
        if (isSet(value)) {
            return value.trim();
        }
        value = System.getenv(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
        return isSet(value) ? value.trim() : defaultValue;
    }

    // Failsafe passes an unset pom property through as an empty string or as the literal ${...}.
    private static boolean isSet(String value) {
        return value != null && !value.isBlank() && !value.startsWith("${");
    }
}
