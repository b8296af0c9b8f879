package dev.keyward.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyward.vault.CredentialKind;
import dev.keyward.vault.InvalidInputException;
import dev.keyward.vault.ProviderDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code proxy} section's rules; the messages are the admin API's 400 answers. */
class ProxyRulesTest {
    /** As the vault binds definitions. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** JSON written with single quotes, to keep the test bodies readable. */
    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static ObjectNode node(String singleQuoted) throws Exception {
        return (ObjectNode) JSON.readTree(json(singleQuoted));
    }

    /** A proxy section with these fields. */
    private static String withProxy(String proxy) {
        return "{" + proxy + "}";
    }

    private static ProxyRules parse(String singleQuoted) throws Exception {
        return ProxyRules.parse(node(singleQuoted));
    }

    private static String refused(String singleQuoted) {
        return assertThrows(InvalidInputException.class, () -> parse(singleQuoted))
                .getMessage();
    }

    @Test
    void proxyDefaults() throws Exception {
        ProxyRules p = parse(withProxy("'baseUrl': 'https://api.github.com/v3'"));
        assertEquals("https://api.github.com/v3", p.baseUrl());
        assertEquals(List.of("GET", "HEAD"), p.methods());
        assertEquals(List.of(), p.pathPrefixes());
        assertEquals(Map.of(), p.staticHeaders());
        assertEquals(List.of(), p.passThroughHeaders());
        assertFalse(p.allowHttp());
        assertFalse(p.allowPrivateNetwork());
    }

    @Test
    void httpBaseUrlOnlyWithAllowHttp() throws Exception {
        assertTrue(refused(withProxy("'baseUrl': 'http://internal.example'")).contains("https"));
        ProxyRules d = parse(withProxy("'baseUrl': 'http://internal.example', 'allowHttp': true"));
        assertTrue(d.allowHttp());
    }

    @Test
    void baseUrlMustBeAPlainAbsoluteHttpsUrl() {
        for (String url : List.of(
                "https://user:pw@api.example.com/",
                "https://token@api.example.com/",
                "https://api.example.com/?key=1",
                "https://api.example.com/#x")) {
            assertTrue(refused(withProxy("'baseUrl': '" + url + "'")).contains("user info"), url);
        }
        for (String url : List.of("", "/relative", "ftp://api.example.com/", "https:///nohost", "not a url")) {
            refused(withProxy("'baseUrl': '" + url + "'"));
        }
        refused(withProxy("'allowHttp': true"));
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
            String message =
                    refused(withProxy("'baseUrl': 'https://api.example.com', 'pathPrefixes': ['" + prefix + "']"));
            assertTrue(message.contains("pathPrefixes"), () -> prefix + ": " + message);
        }
        ProxyRules d =
                parse(withProxy("'baseUrl': 'https://api.example.com', 'pathPrefixes': ['/', '/repos/', '/a..b']"));
        assertEquals(List.of("/", "/repos/", "/a..b"), d.pathPrefixes());
    }

    @Test
    void privateRangesAreCidrLiteralsInCanonicalForm() throws Exception {
        ProxyRules d =
                parse(withProxy("'baseUrl': 'https://media.example', 'privateRanges': [' 10.20.0.0/16', '127.0.0.1']"));
        assertEquals(List.of("10.20.0.0/16", "127.0.0.1/32"), d.privateRanges());
        assertEquals(
                List.of(),
                parse(withProxy("'baseUrl': 'https://media.example', 'privateRanges': null"))
                        .privateRanges());
        for (String bad : List.of("intranet.corp", "10.0.0.1/8", "10.0.0.0/33", "10.0.0")) {
            String message = refused(withProxy("'baseUrl': 'https://media.example', 'privateRanges': ['" + bad + "']"));
            assertTrue(message.contains("privateRanges"), () -> bad + ": " + message);
        }
    }

    @Test
    void aRateLimitNeedsRequestsAndAWindowInRange() throws Exception {
        ProxyRules d = parse(
                withProxy("'baseUrl': 'https://media.example', 'rateLimit': {'requests': 120, 'windowSeconds': 60}"));
        assertEquals(120, d.rateLimit().requests());
        assertEquals(60, d.rateLimit().windowSeconds());
        for (String bad : List.of(
                "{'requests': 0, 'windowSeconds': 60}",
                "{'requests': 100001, 'windowSeconds': 60}",
                "{'requests': 10, 'windowSeconds': 0}",
                "{'requests': 10, 'windowSeconds': 86401}",
                "{'requests': 10}")) {
            String message = refused(withProxy("'baseUrl': 'https://media.example', 'rateLimit': " + bad));
            assertTrue(message.contains("proxy.rateLimit"), () -> bad + ": " + message);
        }
    }

    @Test
    void methodsAreUpperCasedAndDeduplicated() throws Exception {
        ProxyRules d = parse(
                withProxy("'baseUrl': 'https://api.example.com', 'methods': ['get', 'Post', 'GET', 'post', 'delete']"));
        assertEquals(List.of("GET", "POST", "DELETE"), d.methods());
        ProxyRules empty = parse(withProxy("'baseUrl': 'https://api.example.com', 'methods': []"));
        assertEquals(List.of("GET", "HEAD"), empty.methods());
    }

    @Test
    void unknownMethodsAreRefused() {
        for (String method : List.of("TRACE", "CONNECT", "OPTIONS", "", "G ET")) {
            assertTrue(
                    refused(withProxy("'baseUrl': 'https://api.example.com', 'methods': ['GET', '" + method + "']"))
                            .contains("methods"),
                    method);
        }
        refused(withProxy("'baseUrl': 'https://api.example.com', 'methods': [null]"));
    }

    @Test
    void staticHeaders() throws Exception {
        ProxyRules d = parse(withProxy(
                "'baseUrl': 'https://api.example.com', 'staticHeaders': {'User-Agent': 'keyward/1.0 (test)\\tx'}"));
        assertEquals(Map.of("User-Agent", "keyward/1.0 (test)\tx"), d.staticHeaders());
    }

    @Test
    void staticHeaderValuesCannotSplitTheRequest() {
        for (String value : List.of("a\\r\\nX-Injected: 1", "a\\nb", "a\\rb", "a\\u0000b", "caf\\u00e9")) {
            String message = refused(withProxy(
                    "'baseUrl': 'https://api.example.com', 'staticHeaders': {'User-Agent': '" + value + "'}"));
            assertTrue(message.contains("value"), () -> value + ": " + message);
        }
        refused(withProxy("'baseUrl': 'https://api.example.com', 'staticHeaders': {'User-Agent': null}"));
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
            String message =
                    refused(withProxy("'baseUrl': 'https://api.example.com', 'staticHeaders': {'" + name + "': 'v'}"));
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
            String message =
                    refused(withProxy("'baseUrl': 'https://api.example.com', 'passThroughHeaders': ['" + name + "']"));
            assertTrue(message.contains("passThroughHeaders"), () -> name + ": " + message);
        }
        ProxyRules d = parse(withProxy(
                "'baseUrl': 'https://api.example.com', 'passThroughHeaders': ['Range', 'Accept', 'If-None-Match']"));
        assertEquals(List.of("Range", "Accept", "If-None-Match"), d.passThroughHeaders());
    }

    @Test
    void nullListsInTheProxyBecomeEmpty() throws Exception {
        ProxyRules d = parse(withProxy(
                "'baseUrl': 'https://api.example.com', 'pathPrefixes': null, 'methods': null, 'staticHeaders': null,"
                        + " 'passThroughHeaders': null"));
        assertEquals(List.of(), d.pathPrefixes());
        assertEquals(List.of("GET", "HEAD"), d.methods());
        assertEquals(Map.of(), d.staticHeaders());
        assertEquals(List.of(), d.passThroughHeaders());
    }

    @Test
    void bindingErrorsNameTheFieldInsideProxy() {
        assertEquals("unknown field 'x'", refused(withProxy("'baseUrl': 'https://api.github.com', 'x': 1")));
        assertEquals(
                "wrong type for 'proxy.methods'", refused(withProxy("'baseUrl': 'https://a.example', 'methods': {}")));
        assertEquals(
                "wrong type for 'proxy.allowHttp'",
                refused(withProxy("'baseUrl': 'https://a.example', 'allowHttp': null")));
        assertEquals(
                "unknown field 'burst'",
                refused(
                        withProxy(
                                "'baseUrl': 'https://a.example', 'rateLimit': {'requests': 1, 'windowSeconds': 1, 'burst': 2}")));
    }

    @Test
    void theRulesAreImmutable() throws Exception {
        ProxyRules p = parse(withProxy(
                "'baseUrl': 'https://a.example', 'pathPrefixes': ['/a'], 'staticHeaders': {'B': '1', 'A': '2'}"));
        assertThrows(UnsupportedOperationException.class, () -> p.pathPrefixes().add("/b"));
        assertThrows(UnsupportedOperationException.class, () -> p.methods().add("POST"));
        assertThrows(
                UnsupportedOperationException.class, () -> p.staticHeaders().put("C", "3"));
        assertThrows(
                UnsupportedOperationException.class,
                () -> p.passThroughHeaders().add("Range"));
        assertThrows(
                UnsupportedOperationException.class, () -> p.privateRanges().add("10.0.0.0/8"));
        assertEquals(List.of("B", "A"), List.copyOf(p.staticHeaders().keySet()), "in the definition's order");
    }

    /**
     * The normal form is exactly what the vault stored and showed when it normalised the section
     * itself (expected values written by the mutable ProviderDefinition this replaced), so stored
     * realm attributes and the admin API's answers keep their shape.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "{'baseUrl':'https://api.example.com/v3'}"
                        + "|{'baseUrl':'https://api.example.com/v3','pathPrefixes':[],'methods':['GET','HEAD'],'staticHeaders':{},"
                        + "'passThroughHeaders':[],'allowHttp':false,'allowPrivateNetwork':false,'privateRanges':[]}",
                "{'baseUrl':'https://media.example','methods':['get','Post','GET'],'privateRanges':[' 10.20.0.0/16','127.0.0.1'],"
                        + "'staticHeaders':{'User-Agent':'K','Accept':'*/*'},'passThroughHeaders':['Range'],"
                        + "'rateLimit':{'requests':5,'windowSeconds':10},'allowPrivateNetwork':true}"
                        + "|{'baseUrl':'https://media.example','pathPrefixes':[],'methods':['GET','POST'],"
                        + "'staticHeaders':{'User-Agent':'K','Accept':'*/*'},'passThroughHeaders':['Range'],'allowHttp':false,"
                        + "'allowPrivateNetwork':true,'privateRanges':['10.20.0.0/16','127.0.0.1/32'],"
                        + "'rateLimit':{'requests':5,'windowSeconds':10}}",
                "{'rateLimit':{'windowSeconds':60,'requests':1},'baseUrl':'http://x.example','allowHttp':true,'pathPrefixes':null,"
                        + "'methods':null,'staticHeaders':null,'passThroughHeaders':null,'privateRanges':null}"
                        + "|{'baseUrl':'http://x.example','pathPrefixes':[],'methods':['GET','HEAD'],'staticHeaders':{},"
                        + "'passThroughHeaders':[],'allowHttp':true,'allowPrivateNetwork':false,'privateRanges':[],"
                        + "'rateLimit':{'requests':1,'windowSeconds':60}}",
                "{'baseUrl':'https://x.example','privateRanges':['fd00::/8']}"
                        + "|{'baseUrl':'https://x.example','pathPrefixes':[],'methods':['GET','HEAD'],'staticHeaders':{},"
                        + "'passThroughHeaders':[],'allowHttp':false,'allowPrivateNetwork':false,"
                        + "'privateRanges':['fd00:0:0:0:0:0:0:0/8']}",
                "{'baseUrl':'HTTPS://X.example:8443/p/'}"
                        + "|{'baseUrl':'HTTPS://X.example:8443/p/','pathPrefixes':[],'methods':['GET','HEAD'],'staticHeaders':{},"
                        + "'passThroughHeaders':[],'allowHttp':false,'allowPrivateNetwork':false,'privateRanges':[]}"
            })
    void theNormalFormIsTheOneTheVaultAlwaysStored(String sent, String stored) throws Exception {
        ProxyRules rules = parse(sent);
        assertEquals(json(stored), JSON.writeValueAsString(rules.toJson()));
        assertEquals(rules, ProxyRules.parse(rules.toJson()), "the normal form is its own normal form");
    }

    /** The first broken rule is the one the vault named. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "{}|proxy.baseUrl must be an absolute https URL (http only with allowHttp)",
                "{'baseUrl':'https://x.example','privateRanges':['10.0.0.1/8'],'rateLimit':{'requests':0,'windowSeconds':1}}"
                        + "|proxy.privateRanges: address has bits set below its prefix length",
                "{'baseUrl':'https://x.example','rateLimit':{'requests':0,'windowSeconds':1},'passThroughHeaders':['Cookie']}"
                        + "|proxy.rateLimit needs requests (1 to 100000) and windowSeconds (1 to 86400)",
                "{'baseUrl':'https://x.example','passThroughHeaders':['Cookie'],'staticHeaders':{'Host':'x'}}"
                        + "|proxy.staticHeaders has a name that is invalid or reserved (connection, host, cookie and"
                        + " authorization headers are not allowed)",
                "{'baseUrl':'https://x.example','privateRanges':['::ffff:10.0.0.1']}"
                        + "|proxy.privateRanges: write IPv4-mapped ranges as IPv4",
                "{'baseUrl':'https://x.example','privateRanges':['10.0.0.0/40']}|proxy.privateRanges: prefix length must be 0 to 32",
                "{'baseUrl':'https://x.example/a b'}|proxy.baseUrl is not a URL"
            })
    void messagesAndTheirOrderAreTheVaults(String sent, String message) {
        assertEquals(message, refused(sent));
    }

    @Test
    void aDefinitionIsNormalisedIntoACopy() throws Exception {
        ProviderDefinition sent = new ProviderDefinition(
                "p", "P", CredentialKind.BEARER, null, node("{'baseUrl': 'https://a.example', 'methods': ['get']}"));
        ProviderDefinition normal = ProxyRules.normalised(sent);
        assertEquals(List.of("GET"), ProxyRules.of(normal).orElseThrow().methods());
        assertEquals(
                json("{'baseUrl':'https://a.example','methods':['get']}"),
                sent.proxy().toString());
        assertEquals(Optional.of("https://a.example:443"), normal.upstreamOrigin());
        ProviderDefinition bare = new ProviderDefinition("p", "P", CredentialKind.BEARER, null, null);
        assertEquals(bare, ProxyRules.normalised(bare));
        assertEquals(Optional.empty(), ProxyRules.of(bare));
    }
}
