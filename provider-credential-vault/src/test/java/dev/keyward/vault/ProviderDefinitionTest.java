package dev.keyward.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderDefinitionTest {
    private static final String BEARER = "'displayName': 'GitHub', 'credentialKind': 'bearer'";

    /** JSON written with single quotes, to keep the test bodies readable. */
    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static ProviderDefinition parse(String pathId, String singleQuoted) throws InvalidInputException {
        return ProviderDefinitions.parse(pathId, json(singleQuoted));
    }

    private static String refused(String pathId, String singleQuoted) {
        return assertThrows(InvalidInputException.class, () -> parse(pathId, singleQuoted))
                .getMessage();
    }

    /** A bearer definition with this proxy object. */
    private static String withProxy(String proxy) {
        return "{" + BEARER + ", 'proxy': {" + proxy + "}}";
    }

    @Test
    void bearer() throws Exception {
        ProviderDefinition d = parse("github", "{" + BEARER + "}");
        assertEquals("github", d.id());
        assertEquals("GitHub", d.displayName());
        assertEquals(CredentialKind.BEARER, d.credentialKind());
        assertNull(d.credentialName());
        assertNull(d.proxy());
    }

    @Test
    void credentialNameIsDroppedWhereTheKindHasNoUseForIt() throws Exception {
        assertNull(parse("github", "{" + BEARER + ", 'credentialName': 'X-Whatever'}")
                .credentialName());
    }

    @Test
    void basic() throws Exception {
        ProviderDefinition d = parse("jira", "{'id': 'jira', 'displayName': 'Jira', 'credentialKind': 'basic'}");
        assertEquals(CredentialKind.BASIC, d.credentialKind());
        assertEquals("jira", d.id());
    }

    @Test
    void apiKeyHeader() throws Exception {
        ProviderDefinition d = parse(
                "grafana",
                "{'displayName': 'Grafana', 'credentialKind': 'api-key-header', 'credentialName': 'X-Api-Key'}");
        assertEquals(CredentialKind.API_KEY_HEADER, d.credentialKind());
        assertEquals("X-Api-Key", d.credentialName());
    }

    @Test
    void cookie() throws Exception {
        ProviderDefinition d =
                parse("wiki", "{'displayName': 'Wiki', 'credentialKind': 'cookie', 'credentialName': 'session_id'}");
        assertEquals(CredentialKind.COOKIE, d.credentialKind());
        assertEquals("session_id", d.credentialName());
    }

    @Test
    void cookieNeedsAName() {
        assertTrue(refused("wiki", "{'displayName': 'Wiki', 'credentialKind': 'cookie'}")
                .contains("credentialName"));
        refused("wiki", "{'displayName': 'Wiki', 'credentialKind': 'cookie', 'credentialName': 'a=b'}");
        refused("wiki", "{'displayName': 'Wiki', 'credentialKind': 'cookie', 'credentialName': 'a b'}");
    }

    @Test
    void idMustMatchThePath() {
        assertTrue(refused("github", "{'id': 'gitlab', " + BEARER + "}").contains("does not match"));
    }

    @Test
    void badIds() {
        for (String id : List.of("GitHub", "-github", "git_hub", "git hub", "a".repeat(64), "", "..")) {
            String message = refused(id, "{" + BEARER + "}");
            assertTrue(message.startsWith("id must be"), () -> id + ": " + message);
        }
    }

    @Test
    void longestIdIsAccepted() throws Exception {
        String id = "a".repeat(63);
        assertEquals(id, parse(id, "{" + BEARER + "}").id());
        assertEquals("0-a-", parse("0-a-", "{" + BEARER + "}").id());
    }

    @Test
    void displayNameIsRequired() {
        assertTrue(refused("github", "{'credentialKind': 'bearer'}").contains("displayName"));
        assertTrue(refused("github", "{'displayName': '  ', 'credentialKind': 'bearer'}")
                .contains("displayName"));
        String longName = "x".repeat(101);
        assertTrue(refused("github", "{'displayName': '" + longName + "', 'credentialKind': 'bearer'}")
                .contains("displayName"));
    }

    @Test
    void credentialKindIsRequired() {
        assertTrue(refused("github", "{'displayName': 'GitHub'}").contains("credentialKind"));
    }

    @Test
    void unknownCredentialKindListsTheAllowedOnes() {
        String message = refused("github", "{'displayName': 'GitHub', 'credentialKind': 'oauth2'}");
        for (String kind : List.of("bearer", "basic", "api-key-header", "cookie")) {
            assertTrue(message.contains(kind), message);
        }
        assertFalse(message.contains("oauth2"), message);
    }

    @Test
    void unknownFieldIsNamed() {
        assertEquals("unknown field 'x'", refused("github", "{" + BEARER + ", 'x': 1}"));
    }

    @Test
    void notAnObject() {
        assertEquals("body must be a JSON object", refused("github", "null"));
        assertEquals("body must be a JSON object", refused("github", "[]"));
        assertEquals("body is not valid JSON", refused("github", "{'displayName': "));
    }

    @Test
    void apiKeyHeaderNeedsAnOrdinaryHeaderName() {
        String prefix = "{'displayName': 'X', 'credentialKind': 'api-key-header'";
        assertTrue(refused("x", prefix + "}").contains("credentialName"));
        for (String name :
                List.of("Authorization", "authorization", "Cookie", "Host", "Proxy-Authorization", "Bad Name", "")) {
            String message = refused("x", prefix + ", 'credentialName': '" + name + "'}");
            assertTrue(message.contains("credentialName"), () -> name + ": " + message);
        }
    }

    // ---- the proxy section: the header proxy's (ProxyRulesTest there); the vault keeps it verbatim

    @Test
    void theProxySectionIsKeptAsSent() throws Exception {
        ProviderDefinition d = parse("github", withProxy("'baseUrl': 'https://api.github.com/v3', 'methods': ['get']"));
        assertEquals(
                json("{'baseUrl':'https://api.github.com/v3','methods':['get']}"),
                d.proxy().toString());
        assertTrue(d.proxied());
        assertFalse(parse("github", "{" + BEARER + ", 'proxy': null}").proxied());
        assertEquals("wrong type for 'proxy'", refused("github", "{" + BEARER + ", 'proxy': 'https://x.example'}"));
        assertEquals("wrong type for 'proxy'", refused("github", "{" + BEARER + ", 'proxy': []}"));
    }

    @Test
    void theDefinitionCannotBeChangedThroughItsProxySection() throws Exception {
        ProviderDefinition d = parse("github", withProxy("'baseUrl': 'https://api.github.com'"));
        d.proxy().put("baseUrl", "https://elsewhere.example");
        assertEquals(Optional.of("https://api.github.com:443"), d.upstreamOrigin());
    }

    @Test
    void theUpstreamOriginIsReadFromTheBaseUrl() throws Exception {
        assertEquals(Optional.empty(), parse("github", "{" + BEARER + "}").upstreamOrigin());
        assertEquals(Optional.empty(), parse("github", withProxy("")).upstreamOrigin());
        assertEquals(
                Optional.of("https://api.github.com:443"),
                parse("github", withProxy("'baseUrl': 'https://API.github.com/v3'"))
                        .upstreamOrigin());
        for (String broken : List.of("'baseUrl': 'ftp://x.example'", "'baseUrl': 'not a url'", "'baseUrl': 5")) {
            ProviderDefinition d = parse("github", withProxy(broken));
            assertThrows(IllegalArgumentException.class, d::upstreamOrigin, broken);
        }
    }

    /** A realm attribute as the mutable ProviderDefinition (public fields, nested Proxy class) wrote it. */
    private static final String STORED = "{'id':'media','displayName':'Media server','credentialKind':'api-key-header',"
            + "'credentialName':'X-Emby-Token','proxy':{'baseUrl':'https://media.example/api','pathPrefixes':['/Items/'],"
            + "'methods':['GET','HEAD'],'staticHeaders':{'User-Agent':'Keyward','Accept':'*/*'},"
            + "'passThroughHeaders':['Range'],'allowHttp':false,'allowPrivateNetwork':false,"
            + "'privateRanges':['10.20.0.0/16'],'rateLimit':{'requests':120,'windowSeconds':60}}}";

    @Test
    void aStoredDefinitionLoadsAndIsWrittenBackUnchanged() throws Exception {
        ProviderDefinition d = ProviderDefinitions.parse("media", json(STORED));
        assertEquals("media", d.id());
        assertEquals(CredentialKind.API_KEY_HEADER, d.credentialKind());
        assertEquals(Optional.of("https://media.example:443"), d.upstreamOrigin());
        assertEquals(json(STORED), ProviderDefinitions.JSON.writeValueAsString(d));
        String bare = "{'id':'smtp','displayName':'Mail','credentialKind':'basic'}";
        assertEquals(
                json(bare), ProviderDefinitions.JSON.writeValueAsString(ProviderDefinitions.parse("smtp", json(bare))));
    }

    @Test
    void normalisingGivesACopy() throws Exception {
        ProviderDefinition sent = ProviderDefinitions.JSON.readValue(
                json("{'displayName': 'GitHub', 'credentialKind': 'bearer', 'credentialName': 'X'}"),
                ProviderDefinition.class);
        ProviderDefinition d = sent.validated("github");
        assertEquals("github", d.id());
        assertNull(d.credentialName());
        assertNull(sent.id());
        assertEquals("X", sent.credentialName());
    }
}
