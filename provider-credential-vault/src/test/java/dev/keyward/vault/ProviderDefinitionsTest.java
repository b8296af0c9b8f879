package dev.keyward.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** How the vault hands the {@code proxy} section to the modules that own it (SPI keyward-definition-check). */
class ProviderDefinitionsTest {

    /** JSON written with single quotes, to keep the test bodies readable. */
    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** A stand-in for the header proxy's check: refuses a section with "bad", upper-cases "mode". */
    private static final ProviderDefinitionCheck PROXY_OWNER = new ProviderDefinitionCheck() {
        @Override
        public ProviderDefinition normalise(ProviderDefinition d) throws InvalidInputException {
            ObjectNode proxy = d.proxy();
            if (proxy == null) {
                return d;
            }
            if (proxy.has("bad")) {
                throw new InvalidInputException("proxy.bad is not allowed");
            }
            proxy.put("mode", proxy.path("mode").asText("get").toUpperCase());
            return d.withProxy(proxy);
        }

        @Override
        public void check(ProviderDefinition definition) {}
    };

    @SuppressWarnings("unchecked")
    private static <T> T fake(Class<T> type, Map<String, java.util.function.Function<Object[], Object>> methods) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            var m = methods.get(method.getName());
            if (m == null) {
                throw new UnsupportedOperationException(method.getName());
            }
            return m.apply(args);
        });
    }

    private static KeycloakSession session(ProviderDefinitionCheck... checks) {
        return fake(KeycloakSession.class, Map.of("getAllProviders", args -> Set.of(checks)));
    }

    private static RealmModel realm(Map<String, String> attributes) {
        return fake(
                RealmModel.class,
                Map.of("getAttributes", args -> attributes, "getAttribute", args -> attributes.get((String) args[0])));
    }

    @Test
    void storedDefinitionsAreNormalisedByTheSectionsOwnerAndBrokenOnesSkipped() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(
                "keyward.vault.provider.media",
                json("{'id':'media','displayName':'M','credentialKind':'bearer',"
                        + "'proxy':{'baseUrl':'https://media.example','mode':'head'}}"));
        attributes.put(
                "keyward.vault.provider.broken",
                json("{'id':'broken','displayName':'B','credentialKind':'bearer',"
                        + "'proxy':{'baseUrl':'https://b.example','bad':1}}"));
        attributes.put(
                "keyward.vault.provider.plain", json("{'id':'plain','displayName':'P','credentialKind':'basic'}"));
        attributes.put("keyward.vault.provider.nothing", "null");
        attributes.put("other", "x");
        KeycloakSession session = session(PROXY_OWNER);
        RealmModel realm = realm(attributes);

        ProviderDefinition media =
                ProviderDefinitions.get(session, realm, "media").orElseThrow();
        assertEquals(
                json("{'baseUrl':'https://media.example','mode':'HEAD'}"),
                media.proxy().toString());
        assertEquals(Optional.empty(), ProviderDefinitions.get(session, realm, "broken"));
        assertEquals(Optional.empty(), ProviderDefinitions.get(session, realm, "nothing"));
        assertEquals(
                List.of("media", "plain"),
                ProviderDefinitions.list(session, realm).stream()
                        .map(ProviderDefinition::id)
                        .toList());
        // without the owner, the section is only as good as its origin
        assertEquals(
                json("{'baseUrl':'https://b.example','bad':1}"),
                ProviderDefinitions.get(session(), realm, "broken")
                        .orElseThrow()
                        .proxy()
                        .toString());
    }

    @Test
    void anAdminsDefinitionPassesTheVaultThenTheSectionsOwner() throws Exception {
        KeycloakSession session = session(PROXY_OWNER);
        ProviderDefinition d = ProviderDefinitions.parse(
                session,
                "media",
                json("{'displayName':'M','credentialKind':'bearer','proxy':{'baseUrl':'https://m.example'}}"));
        assertEquals(
                json("{'baseUrl':'https://m.example','mode':'GET'}"), d.proxy().toString());
        assertEquals(
                "proxy.bad is not allowed",
                assertThrows(
                                InvalidInputException.class,
                                () -> ProviderDefinitions.parse(
                                        session,
                                        "media",
                                        json("{'displayName':'M','credentialKind':'bearer','proxy':{'bad':1}}")))
                        .getMessage());
        // the vault's own fields first
        assertEquals(
                "displayName is required (at most 100 characters)",
                assertThrows(
                                InvalidInputException.class,
                                () -> ProviderDefinitions.parse(
                                        session, "media", json("{'credentialKind':'bearer','proxy':{'bad':1}}")))
                        .getMessage());
        // and whatever the owner says, the vault needs an origin to bind credentials to
        assertEquals(
                "proxy.baseUrl must be an absolute https URL (http only with allowHttp)",
                assertThrows(
                                InvalidInputException.class,
                                () -> ProviderDefinitions.parse(
                                        session(),
                                        "media",
                                        json(
                                                "{'displayName':'M','credentialKind':'bearer','proxy':{'baseUrl':'ftp://x'}}")))
                        .getMessage());
    }
}
