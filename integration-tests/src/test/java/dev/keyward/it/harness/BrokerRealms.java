package dev.keyward.it.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Two realms for identity-provider tests: the upstream realm (from the export's
 * {@code keyward-upstream-realm.json}) and a realm imported from the export whose provider
 * {@value #ALIAS} points at it, under names of the test's own, with a fresh broker secret.
 */
public final class BrokerRealms {
    public static final String ALIAS = "upstream";
    private static final String UPSTREAM_FILE = "keyward-upstream-realm.json";
    private static final String EXPORT_UPSTREAM_URL = "http://localhost:8080/realms/keyward-upstream";

    private BrokerRealms() {}

    /**
     * @param overrides settings of the main realm on top of the export's
     */
    public static void create(
            KeycloakServer keycloak, AdminApi admin, String realm, String upstream, Map<String, ?> overrides) {
        // the upstream realm, its broker client redirecting to the main realm
        ObjectNode upstreamRealm = RealmExport.read(keycloak, UPSTREAM_FILE);
        upstreamRealm.put("realm", upstream);
        upstreamRealm.put("quickLoginCheckMilliSeconds", 1);
        ObjectNode broker = (ObjectNode) upstreamRealm.get("clients").get(0);
        assertEquals("keyward-broker", broker.get("clientId").asText());
        broker.putArray("redirectUris").add(keycloak.realmUri(realm) + "/broker/" + ALIAS + "/endpoint");
        admin.send("POST", "/admin/realms", upstreamRealm);

        // the main realm, its provider's URLs at the upstream realm above
        ArrayNode providers = (ArrayNode) RealmExport.read(keycloak).get("identityProviders");
        assertEquals(1, providers.size());
        ObjectNode config = (ObjectNode) providers.get(0).get("config");
        config.fieldNames().forEachRemaining(key -> {
            String value = config.get(key).asText();
            if (value.startsWith(EXPORT_UPSTREAM_URL)) {
                config.put(key, keycloak.realmUri(upstream) + value.substring(EXPORT_UPSTREAM_URL.length()));
            }
        });
        Map<String, Object> settings = new HashMap<>(overrides);
        settings.put("identityProviders", providers);
        RealmExport.importAs(keycloak, admin, realm, settings);

        // the secret: a new one from the upstream realm, given to the provider
        String brokerId = admin.client(upstream, "keyward-broker").get("id").asText();
        String secret;
        try {
            secret = new ObjectMapper()
                    .readTree(admin.send(
                                    "POST",
                                    "/admin/realms/" + upstream + "/clients/" + brokerId + "/client-secret",
                                    null)
                            .body())
                    .get("value")
                    .asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        setProviderConfig(admin, realm, "clientSecret", secret);
    }

    /** A user of the upstream realm with a (non-temporary) password; returns its id, the provider's subject. */
    public static String upstreamUser(
            AdminApi admin, String upstream, String username, String email, boolean emailVerified, String password) {
        var created = admin.send(
                "POST",
                "/admin/realms/" + upstream + "/users",
                Map.of(
                        "username",
                        username,
                        "email",
                        email,
                        "emailVerified",
                        emailVerified,
                        "enabled",
                        true,
                        "firstName",
                        "Test",
                        "lastName",
                        "User",
                        "credentials",
                        List.of(Map.of("type", "password", "value", password, "temporary", false))));
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Sets the provider's post broker login flow (the realm's per-provider choice of what follows its logins). */
    public static void setPostBrokerFlow(AdminApi admin, String realm, String flowAlias) {
        updateProvider(admin, realm, provider -> provider.put("postBrokerLoginFlowAlias", flowAlias));
    }

    /** Sets one entry of the provider's config (its other entries, the secret among them, stay). */
    public static void setProviderConfig(AdminApi admin, String realm, String key, String value) {
        updateProvider(admin, realm, provider -> ((ObjectNode) provider.get("config")).put(key, value));
    }

    // the admin API replaces a provider as a whole: read it, change it, put it back
    private static void updateProvider(AdminApi admin, String realm, Consumer<ObjectNode> change) {
        String path = "/admin/realms/" + realm + "/identity-provider/instances/" + ALIAS;
        ObjectNode provider = (ObjectNode) admin.get(path);
        change.accept(provider);
        admin.send("PUT", path, provider);
    }
}
