package dev.keyward.it.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * realm-export/keyward-realm.json as the running distribution has it (its {@code data/import}),
 * imported again under another realm name through the admin API: a test that changes users,
 * SMTP or flows gets the export's exact flows, required actions, theme and headers without
 * touching the demo realm other tests read.
 */
public final class RealmExport {
    static final String FILE = "keyward-realm.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RealmExport() {}

    public static ObjectNode read(KeycloakServer keycloak) {
        return read(keycloak, FILE);
    }

    /** Another realm file of the export, e.g. {@code keyward-upstream-realm.json}, as the distribution has it. */
    public static ObjectNode read(KeycloakServer keycloak, String name) {
        Path file = keycloak.home().resolve("data/import").resolve(name);
        try {
            return (ObjectNode) JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Creates realm {@code name} from the export, with {@code overrides} replacing top-level
     * settings, and with legacy migration on for a month: the tests create their users with a
     * Keycloak password, which the first OPAQUE sign-in moves to an OPAQUE record. (The export
     * ships it off; {@link #importAsShipped} keeps that.)
     */
    public static void importAs(KeycloakServer keycloak, AdminApi admin, String name, Map<String, ?> overrides) {
        ObjectNode rep = read(keycloak);
        for (com.fasterxml.jackson.databind.JsonNode config : rep.withArray("authenticatorConfig")) {
            if ("keyward-opaque-login".equals(config.path("alias").asText())) {
                OpaqueRealm.migration(true).forEach(((ObjectNode) config.get("config"))::put);
            }
        }
        create(admin, rep, name, overrides);
    }

    /** Like {@link #importAs}, with the export's settings as shipped (legacy migration off). */
    public static void importAsShipped(KeycloakServer keycloak, AdminApi admin, String name, Map<String, ?> overrides) {
        create(admin, read(keycloak), name, overrides);
    }

    private static void create(AdminApi admin, ObjectNode rep, String name, Map<String, ?> overrides) {
        rep.put("realm", name);
        // clients with pages of the realm (the token page) name it in their URLs
        for (com.fasterxml.jackson.databind.JsonNode client : rep.withArray("clients")) {
            ObjectNode c = (ObjectNode) client;
            if (c.has("baseUrl")) {
                c.put("baseUrl", renamed(c.get("baseUrl").asText(), name));
            }
            com.fasterxml.jackson.databind.node.ArrayNode uris = c.withArray("redirectUris");
            for (int i = 0; i < uris.size(); i++) {
                uris.set(i, JSON.getNodeFactory().textNode(renamed(uris.get(i).asText(), name)));
            }
        }
        overrides.forEach((k, v) -> rep.set(k, JSON.valueToTree(v)));
        admin.send("POST", "/admin/realms", rep);
    }

    private static String renamed(String url, String realm) {
        return url.startsWith("/realms/keyward/")
                ? "/realms/" + realm + url.substring("/realms/keyward".length())
                : url;
    }
}
