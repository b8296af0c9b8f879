package dev.keyward.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
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
        assertEquals("github", d.id);
        assertEquals("GitHub", d.displayName);
        assertEquals(CredentialKind.BEARER, d.credentialKind);
        assertNull(d.credentialName);
        assertNull(d.proxy);
    }

    @Test
    void credentialNameIsDroppedWhereTheKindHasNoUseForIt() throws Exception {
        assertNull(parse("github", "{" + BEARER + ", 'credentialName': 'X-Whatever'}").credentialName);
    }

    @Test
    void basic() throws Exception {
        ProviderDefinition d = parse("jira", "{'id': 'jira', 'displayName': 'Jira', 'credentialKind': 'basic'}");
        assertEquals(CredentialKind.BASIC, d.credentialKind);
        assertEquals("jira", d.id);
    }

    @Test
    void apiKeyHeader() throws Exception {
        ProviderDefinition d = parse(
                "grafana",
                "{'displayName': 'Grafana', 'credentialKind': 'api-key-header', 'credentialName': 'X-Api-Key'}");
        assertEquals(CredentialKind.API_KEY_HEADER, d.credentialKind);
        assertEquals("X-Api-Key", d.credentialName);
    }

    @Test
    void cookie() throws Exception {
        ProviderDefinition d =
                parse("wiki", "{'displayName': 'Wiki', 'credentialKind': 'cookie', 'credentialName': 'session_id'}");
        assertEquals(CredentialKind.COOKIE, d.credentialKind);
        assertEquals("session_id", d.credentialName);
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
        assertEquals(id, parse(id, "{" + BEARER + "}").id);
        assertEquals("0-a-", parse("0-a-", "{" + BEARER + "}").id);
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
        assertEquals("unknown field 'x'", refused("github", withProxy("'baseUrl': 'https://api.github.com', 'x': 1")));
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

    @Test
    void proxyDefaults() throws Exception {
        ProviderDefinition.Proxy p = parse("github", withProxy("'baseUrl': 'https://api.github.com/v3'")).proxy;
        assertEquals("https://api.github.com/v3", p.baseUrl);
        assertEquals(List.of("GET", "HEAD"), p.methods);
        assertEquals(List.of(), p.pathPrefixes);
        assertEquals(Map.of(), p.staticHeaders);
        assertEquals(List.of(), p.passThroughHeaders);
        assertFalse(p.allowHttp);
        assertFalse(p.allowPrivateNetwork);
    }

    @Test
    void httpBaseUrlOnlyWithAllowHttp() throws Exception {
        assertTrue(refused("github", withProxy("'baseUrl': 'http://internal.example'"))
                .contains("https"));
        ProviderDefinition d = parse("github", withProxy("'baseUrl': 'http://internal.example', 'allowHttp': true"));
        assertTrue(d.proxy.allowHttp);
    }

    @Test
    void baseUrlMustBeAPlainAbsoluteHttpsUrl() {
        for (String url : List.of(
                "https://user:pw@api.example.com/",
                "https://token@api.example.com/",
                "https://api.example.com/?key=1",
                "https://api.example.com/#x")) {
            assertTrue(refused("github", withProxy("'baseUrl': '" + url + "'")).contains("user info"), url);
        }
        for (String url : List.of("", "/relative", "ftp://api.example.com/", "https:///nohost", "not a url")) {
            refused("github", withProxy("'baseUrl': '" + url + "'"));
        }
        refused("github", withProxy("'allowHttp': true"));
    }

    @Test
    void pathPrefixesMustBePlain() throws Exception {
        for (String prefix : List.of(
                "/a/../b",
                "/..",
                "/a/..",
                "..",
                "/a//b",
                "//evil.example",
                "/a\\\\b",
                "/%2e%2e/x",
                "/a%2Fb",
                "/a?x",
                "/a#x",
                "/a b",
                "/./a",
                "relative")) {
            String message = refused(
                    "github", withProxy("'baseUrl': 'https://api.example.com', 'pathPrefixes': ['" + prefix + "']"));
            assertTrue(message.contains("pathPrefixes"), () -> prefix + ": " + message);
        }
        ProviderDefinition d = parse(
                "github", withProxy("'baseUrl': 'https://api.example.com', 'pathPrefixes': ['/', '/repos/', '/a..b']"));
        assertEquals(List.of("/", "/repos/", "/a..b"), d.proxy.pathPrefixes);
    }

    @Test
    void privateRangesAreCidrLiteralsInCanonicalForm() throws Exception {
        ProviderDefinition d = parse(
                "media",
                withProxy("'baseUrl': 'https://media.example', 'privateRanges': [' 10.20.0.0/16', '127.0.0.1']"));
        assertEquals(List.of("10.20.0.0/16", "127.0.0.1/32"), d.proxy.privateRanges);
        assertEquals(
                List.of(),
                parse("media", withProxy("'baseUrl': 'https://media.example', 'privateRanges': null"))
                        .proxy
                        .privateRanges);
        for (String bad : List.of("intranet.corp", "10.0.0.1/8", "10.0.0.0/33", "10.0.0")) {
            String message =
                    refused("media", withProxy("'baseUrl': 'https://media.example', 'privateRanges': ['" + bad + "']"));
            assertTrue(message.contains("privateRanges"), () -> bad + ": " + message);
        }
    }

    @Test
    void aRateLimitNeedsRequestsAndAWindowInRange() throws Exception {
        ProviderDefinition d = parse(
                "media",
                withProxy("'baseUrl': 'https://media.example', 'rateLimit': {'requests': 120, 'windowSeconds': 60}"));
        assertEquals(120, d.proxy.rateLimit.requests);
        assertEquals(60, d.proxy.rateLimit.windowSeconds);
        for (String bad : List.of(
                "{'requests': 0, 'windowSeconds': 60}",
                "{'requests': 100001, 'windowSeconds': 60}",
                "{'requests': 10, 'windowSeconds': 0}",
                "{'requests': 10, 'windowSeconds': 86401}",
                "{'requests': 10}")) {
            String message = refused("media", withProxy("'baseUrl': 'https://media.example', 'rateLimit': " + bad));
            assertTrue(message.contains("proxy.rateLimit"), () -> bad + ": " + message);
        }
    }

    @Test
    void methodsAreUpperCasedAndDeduplicated() throws Exception {
        ProviderDefinition d = parse(
                "github",
                withProxy("'baseUrl': 'https://api.example.com', 'methods': ['get', 'Post', 'GET', 'post', 'delete']"));
        assertEquals(List.of("GET", "POST", "DELETE"), d.proxy.methods);
        ProviderDefinition empty = parse("github", withProxy("'baseUrl': 'https://api.example.com', 'methods': []"));
        assertEquals(List.of("GET", "HEAD"), empty.proxy.methods);
    }

    @Test
    void unknownMethodsAreRefused() {
        for (String method : List.of("TRACE", "CONNECT", "OPTIONS", "", "G ET")) {
            assertTrue(
                    refused(
                                    "github",
                                    withProxy("'baseUrl': 'https://api.example.com', 'methods': ['GET', '" + method
                                            + "']"))
                            .contains("methods"),
                    method);
        }
        refused("github", withProxy("'baseUrl': 'https://api.example.com', 'methods': [null]"));
    }

    @Test
    void staticHeaders() throws Exception {
        ProviderDefinition d = parse(
                "github",
                withProxy(
                        "'baseUrl': 'https://api.example.com', 'staticHeaders': {'User-Agent': 'keyward/1.0 (test)\\tx'}"));
        assertEquals(Map.of("User-Agent", "keyward/1.0 (test)\tx"), d.proxy.staticHeaders);
    }

    @Test
    void staticHeaderValuesCannotSplitTheRequest() {
        for (String value : List.of("a\\r\\nX-Injected: 1", "a\\nb", "a\\rb", "a\\u0000b", "caf\\u00e9")) {
            String message = refused(
                    "github",
                    withProxy(
                            "'baseUrl': 'https://api.example.com', 'staticHeaders': {'User-Agent': '" + value + "'}"));
            assertTrue(message.contains("value"), () -> value + ": " + message);
        }
        refused("github", withProxy("'baseUrl': 'https://api.example.com', 'staticHeaders': {'User-Agent': null}"));
    }

    @Test
    void staticHeaderNamesCannotBeReserved() {
        for (String name : List.of(
                "Host",
                "Authorization",
                "Cookie",
                "Connection",
                "Transfer-Encoding",
                "Content-Length",
                "X-Forwarded-For",
                "Bad Name",
                "Bad:Name")) {
            String message = refused(
                    "github",
                    withProxy("'baseUrl': 'https://api.example.com', 'staticHeaders': {'" + name + "': 'v'}"));
            assertTrue(message.contains("reserved"), () -> name + ": " + message);
        }
    }

    @Test
    void passThroughHeaders() throws Exception {
        for (String name : List.of(
                "Cookie",
                "Authorization",
                "X-Forwarded-For",
                "Connection",
                "cookie",
                "Host",
                "Proxy-Authorization",
                "Forwarded",
                "Bad Name")) {
            String message = refused(
                    "github",
                    withProxy("'baseUrl': 'https://api.example.com', 'passThroughHeaders': ['" + name + "']"));
            assertTrue(message.contains("passThroughHeaders"), () -> name + ": " + message);
        }
        ProviderDefinition d = parse(
                "github",
                withProxy(
                        "'baseUrl': 'https://api.example.com', 'passThroughHeaders': ['Range', 'Accept', 'If-None-Match']"));
        assertEquals(List.of("Range", "Accept", "If-None-Match"), d.proxy.passThroughHeaders);
    }

    @Test
    void nullListsInTheProxyBecomeEmpty() throws Exception {
        ProviderDefinition d = parse(
                "github",
                withProxy(
                        "'baseUrl': 'https://api.example.com', 'pathPrefixes': null, 'methods': null, 'staticHeaders': null,"
                                + " 'passThroughHeaders': null"));
        assertEquals(List.of(), d.proxy.pathPrefixes);
        assertEquals(List.of("GET", "HEAD"), d.proxy.methods);
        assertEquals(Map.of(), d.proxy.staticHeaders);
        assertEquals(List.of(), d.proxy.passThroughHeaders);
    }
}
