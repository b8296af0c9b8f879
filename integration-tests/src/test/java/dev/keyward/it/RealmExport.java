package dev.keyward.it;

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
final class RealmExport {
    static final String FILE = "keyward-realm.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RealmExport() {
    }

    static ObjectNode read(KeycloakServer keycloak) {
        return read(keycloak, FILE);
    }

    /** Another realm file of the export, e.g. {@code keyward-upstream-realm.json}, as the distribution has it. */
    static ObjectNode read(KeycloakServer keycloak, String name) {
        Path file = keycloak.home().resolve("data/import").resolve(name);
        try {
            return (ObjectNode) JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Creates realm {@code name} from the export, with {@code overrides} replacing top-level settings. */
    static void importAs(KeycloakServer keycloak, AdminApi admin, String name, Map<String, ?> overrides) {
        ObjectNode rep = read(keycloak);
        rep.put("realm", name);
        overrides.forEach((k, v) -> rep.set(k, JSON.valueToTree(v)));
        admin.send("POST", "/admin/realms", rep);
    }
}
