package dev.keyward.it.harness;

import java.util.Locale;

/**
 * Random user names and passwords for test data. The integration tests share a Keycloak and its
 * realms, so every test makes its users under names of its own (a prefix and eight random
 * characters): tests never collide, whatever ran before them in the realm. Passwords are random
 * too, never a fixed string, so that {@code ops.LogScanIT} can search the Keycloak logs for each
 * one and a hit means a leak. (They are recorded in {@link TestSecrets} where they are handed to
 * Keycloak, by {@link AdminApi}, {@link OpaqueForms} and the like, not here.)
 */
public final class TestNames {
    private TestNames() {}

    /** A user name no other test uses: {@code prefix}, a dash and {@link #suffix()}. */
    public static String user(String prefix) {
        return prefix + "-" + suffix();
    }

    /** Eight random characters from {@code [a-z0-9]}, for a name or an address of a test's own. */
    public static String suffix() {
        return KeycloakServer.randomSecret()
                .substring(0, 8)
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]", "x");
    }

    /** A random password: {@code Pw-} and a {@link KeycloakServer#randomSecret()}. */
    public static String password() {
        return "Pw-" + KeycloakServer.randomSecret();
    }
}
