package dev.keyward.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamBindingTest {

    private static ProviderDefinition definition(String baseUrl, CredentialKind kind, String name) {
        return new ProviderDefinition(
                "media", "Media", kind, name, baseUrl == null ? null : proxy(Map.of("baseUrl", baseUrl)));
    }

    private static ObjectNode proxy(Map<String, Object> fields) {
        return ProviderDefinitions.JSON.valueToTree(fields);
    }

    private static UpstreamBinding of(String baseUrl, CredentialKind kind, String name) {
        return UpstreamBinding.of(definition(baseUrl, kind, name));
    }

    @Test
    void whatKeepsTheOriginAndPlacementKeepsTheBinding() {
        UpstreamBinding stored = of("https://media.example.com/api", CredentialKind.API_KEY_HEADER, "X-Emby-Token");
        assertTrue(stored.matches(
                of("https://MEDIA.example.com:443/other/", CredentialKind.API_KEY_HEADER, "X-Emby-Token")));
        // header names are case-insensitive on the wire
        assertTrue(stored.matches(of("https://media.example.com", CredentialKind.API_KEY_HEADER, "x-emby-token")));

        ProviderDefinition changed = new ProviderDefinition(
                "media",
                "Renamed",
                CredentialKind.API_KEY_HEADER,
                "X-Emby-Token",
                proxy(Map.of(
                        "baseUrl", "https://media.example.com/api/v2",
                        "pathPrefixes", List.of("/Items/"),
                        "methods", List.of("GET", "POST"),
                        "staticHeaders", Map.of("User-Agent", "Keyward"),
                        "passThroughHeaders", List.of("Range"),
                        "privateRanges", List.of("10.20.0.0/16"))));
        assertTrue(stored.matches(UpstreamBinding.of(changed)));
    }

    @Test
    void anotherOriginKindOrNameIsAnotherBinding() {
        UpstreamBinding stored = of("https://media.example.com", CredentialKind.API_KEY_HEADER, "X-Api-Key");
        for (UpstreamBinding other : List.of(
                of("https://media.example.org", CredentialKind.API_KEY_HEADER, "X-Api-Key"),
                of("https://media.example.com:8443", CredentialKind.API_KEY_HEADER, "X-Api-Key"),
                of("http://media.example.com", CredentialKind.API_KEY_HEADER, "X-Api-Key"),
                of("https://media.example.com", CredentialKind.API_KEY_HEADER, "X-Other-Key"),
                of("https://media.example.com", CredentialKind.COOKIE, "X-Api-Key"),
                of("https://media.example.com", CredentialKind.BEARER, null),
                of(null, CredentialKind.API_KEY_HEADER, "X-Api-Key"))) {
            assertFalse(stored.matches(other), other::toString);
        }
        // cookie names are case-sensitive
        assertFalse(of("https://a.example", CredentialKind.COOKIE, "sid")
                .matches(of("https://a.example", CredentialKind.COOKIE, "SID")));
        assertFalse(of("https://a.example", CredentialKind.BEARER, null)
                .matches(of("https://a.example", CredentialKind.BASIC, null)));
    }

    @Test
    void kindsWithoutANameIgnoreOne() {
        assertTrue(of("https://a.example", CredentialKind.BEARER, null)
                .matches(of("https://a.example", CredentialKind.BEARER, "X")));
        assertTrue(of("https://a.example", CredentialKind.BASIC, "")
                .matches(of("https://a.example", CredentialKind.BASIC, null)));
    }

    @Test
    void theEncodingIsUnambiguous() {
        // every field is length-prefixed: moving bytes between origin and name changes the digest
        assertFalse(UpstreamBinding.of("https://a.example:443", CredentialKind.COOKIE, "bc")
                .matches(UpstreamBinding.of("https://a.example:443b", CredentialKind.COOKIE, "c")));
        assertFalse(UpstreamBinding.of("", CredentialKind.COOKIE, "x")
                .matches(UpstreamBinding.of("x", CredentialKind.COOKIE, "")));
    }

    @Test
    void theColumnHoldsHexAndOnlyHexIsABinding() {
        UpstreamBinding b = of("https://a.example", CredentialKind.BEARER, null);
        String column = b.column();
        assertEquals(64, column.length());
        assertTrue(column.matches("[0-9a-f]{64}"));
        assertTrue(b.matches(UpstreamBinding.fromColumn(column)));
        assertNull(UpstreamBinding.fromColumn(null));
        assertNull(UpstreamBinding.fromColumn(UpstreamBinding.LEGACY));
        assertNull(UpstreamBinding.fromColumn(column.toUpperCase()));
        assertNull(UpstreamBinding.fromColumn(column.substring(1)));
        assertFalse(b.matches(null));
    }

    @Test
    void storedRowsGetTheirBindingFromTheColumn() {
        String column = of("https://a.example", CredentialKind.BEARER, null).column();
        assertTrue(of("https://a.example", CredentialKind.BEARER, null)
                .matches(SecretBinding.stored("r", "user", "u", "p", column).upstream()));
        assertNull(SecretBinding.stored("r", "user", "u", "p", UpstreamBinding.LEGACY)
                .upstream());
        assertNull(SecretBinding.stored("r", "user", "u", "p", null).upstream());
        // a realm secret has none, whatever its column holds
        assertNull(SecretBinding.stored("r", "realm", "r", "smtp", column).upstream());
    }

    @Test
    void usableMeansTheDefinitionStillFits() {
        ProviderDefinition d = definition("https://a.example", CredentialKind.BEARER, null);
        SecretMetadata bound = new SecretMetadata("media", 1, 1, "k1", 1, UpstreamBinding.of(d));
        SecretMetadata unbound = new SecretMetadata("media", 1, 1, "k1", 1, null);
        assertTrue(bound.usableUnder(d));
        assertFalse(bound.usableUnder(definition("https://b.example", CredentialKind.BEARER, null)));
        assertFalse(bound.usableUnder(null));
        assertFalse(unbound.usableUnder(d));
    }

    @Test
    void metadataJsonDoesNotCarryTheBinding() throws Exception {
        SecretMetadata m =
                new SecretMetadata("media", 1, 2, "k1", 3, of("https://a.example", CredentialKind.BEARER, null));
        String json = ProviderDefinitions.JSON.writeValueAsString(m);
        assertEquals("{\"name\":\"media\",\"createdAt\":1,\"updatedAt\":2,\"keyId\":\"k1\",\"encryptedAt\":3}", json);
    }
}
