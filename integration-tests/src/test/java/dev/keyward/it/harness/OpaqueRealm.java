package dev.keyward.it.harness;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Admin-API setup shared by the OPAQUE tests, each in its own realm so the demo realm stays
 * untouched: a realm with the required action keyward-opaque-register, users who must set an
 * OPAQUE password (they get through their first login with a legacy Keycloak password), and the
 * switch of the realm's browser flow to the OPAQUE form alone once they have.
 */
public final class OpaqueRealm {
    static final String REGISTER_ACTION = "keyward-opaque-register";

    private OpaqueRealm() {}

    /** Creates an enabled realm with {@code settings} and registers the OPAQUE required action in it. */
    public static void create(AdminApi admin, String realm, Map<String, ?> settings) {
        Map<String, Object> rep = new HashMap<>(settings);
        rep.put("realm", realm);
        rep.put("enabled", true);
        admin.send("POST", "/admin/realms", rep);
        admin.send(
                "POST",
                "/admin/realms/" + realm + "/authentication/register-required-action",
                Map.of("providerId", REGISTER_ACTION, "name", "Set OPAQUE password"));
    }

    /** A user with a legacy Keycloak password who must set an OPAQUE password at the next login; returns the user id. */
    public static String createLegacyUser(
            AdminApi admin, String realm, String username, String email, String legacyPassword) {
        HttpResponse<String> created = admin.send(
                "POST",
                "/admin/realms/" + realm + "/users",
                Map.of(
                        "username",
                        username,
                        "email",
                        email,
                        "emailVerified",
                        true,
                        "enabled",
                        true,
                        "firstName",
                        "Alice",
                        "lastName",
                        "Liddell",
                        "credentials",
                        List.of(Map.of("type", "password", "value", legacyPassword, "temporary", false)),
                        "requiredActions",
                        List.of(REGISTER_ACTION)));
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** From now on the realm's browser flow is the OPAQUE form (keyward-opaque-login) alone. */
    public static void useOpaqueBrowserFlow(AdminApi admin, String realm) {
        opaqueBrowserFlow(admin, realm);
    }

    /**
     * Like {@link #useOpaqueBrowserFlow}, with legacy migration on: the execution gets the config
     * alias {@code keyward-opaque-login}, {@link #migration} on; returns the config's id, for
     * {@link #setLegacyMigration}.
     */
    public static String useOpaqueBrowserFlowWithMigration(AdminApi admin, String realm) {
        String execution = opaqueBrowserFlow(admin, realm);
        HttpResponse<String> created = admin.send(
                "POST",
                "/admin/realms/" + realm + "/authentication/executions/" + execution + "/config",
                Map.of("alias", "keyward-opaque-login", "config", migration(true)));
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Turns legacy migration on or off in the execution config {@code configId}. */
    public static void setLegacyMigration(AdminApi admin, String realm, String configId, boolean on) {
        admin.send(
                "PUT",
                "/admin/realms/" + realm + "/authentication/config/" + configId,
                Map.of("id", configId, "alias", "keyward-opaque-login", "config", migration(on)));
    }

    /**
     * The OPAQUE step's settings with legacy migration on (until a month from now: it needs an end
     * date) or off.
     */
    public static Map<String, String> migration(boolean on) {
        return on
                ? Map.of("legacyMigration", "true", "legacyMigrationUntil", MIGRATION_UNTIL)
                : Map.of("legacyMigration", "false");
    }

    /** The end date test realms give their legacy migration. */
    static final String MIGRATION_UNTIL =
            java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(30).toString();

    /** The migration counts of {@code GET /admin/realms/{realm}/keyward-opaque/migration}: {legacy, opaque}. */
    public static long[] migrationCounts(AdminApi admin, String realm) {
        com.fasterxml.jackson.databind.JsonNode counts =
                admin.get("/admin/realms/" + realm + "/keyward-opaque/migration");
        return new long[] {
            counts.get("legacyPasswordUsers").asLong(),
            counts.get("opaqueUsers").asLong()
        };
    }

    private static String opaqueBrowserFlow(AdminApi admin, String realm) {
        admin.send(
                "POST",
                "/admin/realms/" + realm + "/authentication/flows",
                Map.of("alias", "opaque-browser", "providerId", "basic-flow", "topLevel", true, "builtIn", false));
        admin.send(
                "POST",
                "/admin/realms/" + realm + "/authentication/flows/opaque-browser/executions/execution",
                Map.of("provider", "keyward-opaque-login"));
        String execution = admin.get("/admin/realms/" + realm + "/authentication/flows/opaque-browser/executions")
                .get(0)
                .get("id")
                .asText();
        admin.send(
                "PUT",
                "/admin/realms/" + realm + "/authentication/flows/opaque-browser/executions",
                Map.of("id", execution, "requirement", "REQUIRED"));
        admin.updateRealm(realm, Map.of("browserFlow", "opaque-browser"));
        return execution;
    }
}
