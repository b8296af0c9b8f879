package dev.keyward.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.vault.CredentialKind;
import dev.keyward.vault.ProviderDefinition;
import dev.keyward.vault.StoredCredential;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class UpstreamHeadersTest {

    private static ProviderDefinition provider(CredentialKind kind, String credentialName) {
        return new ProviderDefinition("p", "P", kind, credentialName, null);
    }

    /** A provider with these static and pass-through headers. */
    private static ProxiedProvider proxied(
            CredentialKind kind, String credentialName, Map<String, String> staticHeaders, List<String> passThrough) {
        ProxyRules rules = new ProxyRules(
                "https://upstream.example",
                List.of(),
                List.of("GET", "HEAD"),
                staticHeaders,
                passThrough,
                false,
                false,
                List.of(),
                null);
        return new ProxiedProvider(new ProviderDefinition("p", "P", kind, credentialName, rules.toJson()), rules);
    }

    private static StoredCredential secret(String secret) {
        return StoredCredential.fromBytes(("{\"secret\":\"" + secret + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    /** The caller looks client headers up case-insensitively, as JAX-RS does. */
    private static Function<String, List<String>> client(Map<String, List<String>> headers) {
        TreeMap<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.putAll(headers);
        return map::get;
    }

    private static Map<String, String> build(ProxiedProvider p, StoredCredential c, Map<String, List<String>> headers)
            throws ProxyRefusal {
        return UpstreamHeaders.build(p, c, client(headers));
    }

    @Test
    void eachCredentialKindBecomesItsHeader() throws Exception {
        assertEquals(
                Map.entry("Authorization", "Bearer tok"),
                UpstreamHeaders.credentialHeader(provider(CredentialKind.BEARER, null), secret("tok")));
        StoredCredential basic = StoredCredential.fromBytes(
                "{\"username\":\"user\",\"password\":\"p\u00e4ss\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(
                Map.entry(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString("user:p\u00e4ss".getBytes(StandardCharsets.UTF_8))),
                UpstreamHeaders.credentialHeader(provider(CredentialKind.BASIC, null), basic));
        assertEquals(
                Map.entry("X-Api-Key", "k1"),
                UpstreamHeaders.credentialHeader(provider(CredentialKind.API_KEY_HEADER, "X-Api-Key"), secret("k1")));
        assertEquals(
                Map.entry("Cookie", "session=c1"),
                UpstreamHeaders.credentialHeader(provider(CredentialKind.COOKIE, "session"), secret("c1")));
    }

    @Test
    void staticThenSelectedClientHeadersThenTheCredential() throws Exception {
        ProxiedProvider p =
                proxied(CredentialKind.BEARER, null, Map.of("User-Agent", "Keyward"), List.of("Range", "Accept"));
        Map<String, String> out = build(
                p,
                secret("tok"),
                Map.of(
                        "range",
                        List.of("bytes=0-1"),
                        "Accept",
                        List.of("a/b", "c/d"),
                        "Cookie",
                        List.of("s=1"),
                        "X-Forwarded-For",
                        List.of("1.2.3.4"),
                        "Authorization",
                        List.of("Bearer client")));
        assertEquals(List.of("User-Agent", "Range", "Accept", "Authorization"), new ArrayList<>(out.keySet()));
        assertEquals("bytes=0-1", out.get("Range"));
        assertEquals("a/b, c/d", out.get("Accept"));
        assertEquals("Bearer tok", out.get("Authorization"));
    }

    @Test
    void unselectedOrAbsentClientHeadersAreNotSent() throws Exception {
        ProxiedProvider p = proxied(CredentialKind.BEARER, null, Map.of(), List.of("If-None-Match"));
        Map<String, String> out = build(p, secret("tok"), Map.of("Range", List.of("bytes=0-1")));
        assertEquals(List.of("Authorization"), new ArrayList<>(out.keySet()));
    }

    @Test
    void theCredentialWinsOverStaticAndClientHeadersOfTheSameName() throws Exception {
        ProxiedProvider p = proxied(
                CredentialKind.API_KEY_HEADER, "X-Api-Key", Map.of("x-api-key", "static"), List.of("X-API-KEY"));
        Map<String, String> out = build(p, secret("stored"), Map.of("X-Api-Key", List.of("client")));
        assertEquals(Map.of("X-Api-Key", "stored"), out);
    }

    @Test
    void aStaticHeaderWinsOverTheClients() throws Exception {
        Map<String, String> statics = new LinkedHashMap<>();
        statics.put("User-Agent", "Keyward");
        ProxiedProvider p = proxied(CredentialKind.BEARER, null, statics, List.of("user-agent"));
        assertEquals(
                "Keyward",
                build(p, secret("t"), Map.of("User-Agent", List.of("evil"))).get("User-Agent"));
        assertFalse(build(p, secret("t"), Map.of("User-Agent", List.of("evil"))).containsKey("user-agent"));
    }

    @Test
    void unsafeClientValuesAreRefused() {
        ProxiedProvider p = proxied(CredentialKind.BEARER, null, Map.of(), List.of("Accept"));
        for (String bad : List.of("a\rb", "a\nb", "a\u0000b", "a\u007fb", "caf\u00e9", "x".repeat(8193))) {
            ProxyRefusal r =
                    assertThrows(ProxyRefusal.class, () -> build(p, secret("t"), Map.of("Accept", List.of(bad))));
            assertEquals(400, r.status());
            assertEquals("invalid_header", r.error());
            assertFalse(
                    r.getMessage().contains(bad.length() > 10 ? bad.substring(0, 10) : bad), "the value is not echoed");
        }
    }

    @Test
    void aCredentialThatDoesNotFitItsKindIsUnusable() {
        assertEquals(
                "credential_unusable",
                assertThrows(
                                ProxyRefusal.class,
                                () -> UpstreamHeaders.credentialHeader(
                                        provider(CredentialKind.BEARER, null),
                                        StoredCredential.fromBytes("{}".getBytes(StandardCharsets.UTF_8))))
                        .error());
        assertEquals(
                409,
                assertThrows(
                                ProxyRefusal.class,
                                () -> UpstreamHeaders.credentialHeader(
                                        provider(CredentialKind.BASIC, null), secret("only-a-secret")))
                        .status());
        assertEquals(
                409,
                assertThrows(
                                ProxyRefusal.class,
                                () -> UpstreamHeaders.credentialHeader(
                                        provider(CredentialKind.BEARER, null), secret("a\\rb")))
                        .status());
    }

    @Test
    void onlyBodyDescribingResponseHeadersAreReturned() {
        for (String name : ResponseHeaders.ALLOWED) {
            assertTrue(ResponseHeaders.allowed(name.toUpperCase(), "x"), name);
            assertTrue(ResponseHeaders.allowed(name.toLowerCase(), "x"), name);
        }
        for (String name : List.of(
                "Set-Cookie",
                "Set-Cookie2",
                "Connection",
                "Keep-Alive",
                "Transfer-Encoding",
                "Upgrade",
                "Proxy-Authenticate",
                "WWW-Authenticate",
                "Location",
                "Server",
                "X-Powered-By",
                "Strict-Transport-Security")) {
            assertFalse(ResponseHeaders.allowed(name, "x"), name);
        }
        assertFalse(ResponseHeaders.allowed("Content-Type", "text/plain\r\nSet-Cookie: a=b"));
        assertFalse(ResponseHeaders.allowed("Content-Disposition", "attachment; filename=caf\u00e9"));
        assertFalse(ResponseHeaders.allowed(null, "x"));
    }
}
