package dev.keyward.it.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import dev.keyward.it.harness.RecordingUpstream;
import dev.keyward.it.harness.VaultApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The header proxy against a real Keycloak and a real upstream ({@link RecordingUpstream}) that
 * records what reaches it: exactly the provider's headers arrive; ranges, HEAD and 304 work;
 * escapes, bad headers, big bodies and wrong methods get a 4xx and never reach the upstream; the
 * SSRF guard refuses non-public addresses unless the provider allows them, and a provider gets no
 * more than the operator's {@code allowed-private-ranges}; tokens are checked for realm, expiry,
 * the client scope {@code keyward-proxy} and its audience, so only clients an admin granted the
 * scope get through; limits answer 429. The upstream runs on 127.0.0.1, so the providers that
 * should work allow exactly {@code 127.0.0.1/32}, which the tests' Keycloak lists (with
 * {@code 10.20.0.0/16}; {@link KeycloakServer#PROXY_ALLOWED_PRIVATE_RANGES}); a second upstream on
 * 127.0.0.2 is outside the listing.
 */
@KeywardTest
class HeaderProxyIT {
    private static final String REALM = "keyward-proxy-it";
    private static final String CLI = "proxy-cli";
    /** Another application of the realm, which the same users sign in to: never granted the scope. */
    private static final String OTHER_CLI = "other-app";
    /** Holds the pack's scopes as optional ones: its tokens carry them only when it asks. */
    private static final String ASKING_CLI = "asking-app";

    private static final String ORIGIN = "http://app.example.test";
    private static final String OTHER_ORIGIN = "http://other.example.test";
    private static final String MEDIA_TOKEN = "media-upstream-token-7f3a";
    private static final String API_KEY = "plain-api-key-91c2";
    private static final long BIG = 8L * 1024 * 1024 + 123;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static VaultApi vault;
    private static RecordingUpstream upstream;
    /** Outside what the operator lists: no provider may reach it. */
    private static RecordingUpstream outsider;

    private static String alice;
    private static String alicePassword;

    @BeforeAll
    static void setUp() throws IOException {
        upstream = new RecordingUpstream(BIG);
        outsider = new RecordingUpstream(1024, "127.0.0.2");
        admin.createProxyRealm(REALM, CLI, List.of(ORIGIN));
        admin.createDirectGrantClient(REALM, OTHER_CLI, List.of(OTHER_ORIGIN), List.of(), List.of());
        admin.createDirectGrantClient(
                REALM, ASKING_CLI, List.of(), List.of(), List.of(AdminApi.PROXY_SCOPE, AdminApi.VAULT_SCOPE));

        String local = upstream.baseUrl() + "/api";
        provider(
                "media",
                "bearer",
                null,
                proxy(
                        local,
                        List.of("/echo", "/files/", "/redirect", "/slow", "/hold", "/upload"),
                        List.of("GET", "HEAD", "POST"),
                        Map.of("User-Agent", "Keyward-Test/1", "X-Client", "keyward"),
                        List.of("Accept", "Range", "If-None-Match", "Content-Type")));
        provider(
                "plain",
                "api-key-header",
                "X-Api-Key",
                proxy(local, List.of("/echo", "/files/"), List.of("GET"), Map.of(), List.of("Accept", "X-Api-Key")));
        Map<String, Object> limited = proxy(local, List.of("/echo"), List.of("GET"), Map.of(), List.of());
        limited.put("rateLimit", Map.of("requests", 3, "windowSeconds", 86_400));
        provider("limited", "bearer", null, limited);
        provider(
                "closed",
                "bearer",
                null,
                proxy("http://127.0.0.1:" + closedPort() + "/api", List.of("/"), List.of("GET"), Map.of(), List.of()));
        provider("nocred", "bearer", null, proxy(local, List.of("/"), List.of("GET"), Map.of(), List.of()));
        int port = upstream.port();
        Map<String, String> unsafe = new LinkedHashMap<>();
        unsafe.put("loopback", "http://127.0.0.1:" + port + "/api");
        unsafe.put("metadata", "http://169.254.169.254/latest");
        unsafe.put("ipv6-loopback", "http://[::1]:" + port + "/api");
        unsafe.put("private-ten", "http://10.0.0.1/api");
        unsafe.put("named-local", "http://localhost:" + port + "/api");
        unsafe.put("mapped-loopback", "http://[::ffff:127.0.0.1]:" + port + "/api");
        for (Map.Entry<String, String> u : unsafe.entrySet()) {
            Map<String, Object> rules = proxy(u.getValue(), List.of("/"), List.of("GET"), Map.of(), List.of());
            rules.remove("privateRanges");
            provider(u.getKey(), "bearer", null, rules);
        }

        alicePassword = KeycloakServer.randomSecret();
        alice = admin.createUser(REALM, "alice", "alice@example.test", alicePassword);
        String aliceToken = token("alice", alicePassword);
        for (String p : List.of(
                "media",
                "limited",
                "closed",
                "loopback",
                "metadata",
                "ipv6-loopback",
                "private-ten",
                "named-local",
                "mapped-loopback")) {
            storeSecret(aliceToken, p, p.equals("media") ? MEDIA_TOKEN : "secret-for-" + p);
        }
        storeSecret(aliceToken, "plain", API_KEY);
    }

    @AfterAll
    static void tearDown() {
        upstream.close();
        outsider.close();
    }

    @BeforeEach
    void forget() {
        upstream.forget();
        outsider.forget();
    }

    // ---- headers ------------------------------------------------------------------------------

    @Test
    void theUpstreamSeesExactlyTheProvidersHeadersAndTheClientSeesNoUpstreamCookies() throws Exception {
        String token = token("alice", alicePassword);
        HttpResponse<String> r = send(HttpRequest.newBuilder(proxy("media", "/echo/one?x=1&y=%20"))
                .header("Authorization", "Bearer " + token)
                .header("Cookie", "KEYCLOAK_IDENTITY=stolen")
                .header("X-Forwarded-For", "203.0.113.9")
                .header("Accept", "text/plain")
                .header("X-Custom", "nope")
                .header("User-Agent", "client-agent/9")
                .header("If-None-Match", "\"abc\""));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("echo GET", r.body());
        assertTrue(r.headers().firstValue("set-cookie").isEmpty(), "upstream cookie reached the client");
        assertTrue(r.headers().firstValue("x-internal-token").isEmpty());
        assertTrue(r.headers()
                .firstValue("server")
                .map(s -> !s.contains("recording"))
                .orElse(true));
        assertEquals("no-cache", r.headers().firstValue("cache-control").orElseThrow());

        RecordingUpstream.Seen seen = only("/api/echo/one");
        assertEquals("x=1&y=%20", seen.rawQuery());
        assertEquals(
                new TreeSet<>(Set.of("host", "user-agent", "x-client", "accept", "if-none-match", "authorization")),
                new TreeSet<>(seen.headers().keySet()));
        assertEquals(
                "Bearer " + MEDIA_TOKEN, seen.header("authorization"), "the stored credential, not the client's token");
        assertEquals("Keyward-Test/1", seen.header("user-agent"), "a static header beats the client's");
        assertEquals("keyward", seen.header("x-client"));
        assertEquals("text/plain", seen.header("accept"));
        assertEquals("127.0.0.1:" + upstream.port(), seen.header("host"));
    }

    @Test
    void aClientCannotReplaceTheProvidersKeyOrSendUnselectedHeaders() throws Exception {
        HttpResponse<byte[]> r = bytes(HttpRequest.newBuilder(proxy("plain", "/files/big.bin"))
                .header("Authorization", "Bearer " + token("alice", alicePassword))
                .header("X-Api-Key", "client-chosen-key")
                .header("Range", "bytes=0-9"));
        assertEquals(200, r.statusCode(), "Range is not selected by this provider, so the whole file comes back");
        assertEquals(BIG, r.body().length);
        RecordingUpstream.Seen seen = only("/api/files/big.bin");
        assertEquals(API_KEY, seen.header("x-api-key"));
        assertNull(seen.header("range"));
        assertNull(seen.header("authorization"));
        assertEquals(
                new TreeSet<>(Set.of("host", "x-api-key")),
                new TreeSet<>(seen.headers().keySet()));
    }

    // ---- ranges, HEAD, 304, bodies ------------------------------------------------------------

    @Test
    void aSelectedRangeGives206WithTheRightBytes() throws Exception {
        long from = 5_000_000;
        long to = 5_100_000;
        HttpResponse<byte[]> r =
                bytes(authed(proxy("media", "/files/big.bin")).header("Range", "bytes=" + from + "-" + to));
        assertEquals(206, r.statusCode());
        assertEquals(
                "bytes " + from + "-" + to + "/" + BIG,
                r.headers().firstValue("content-range").orElseThrow());
        assertEquals(RecordingUpstream.ETAG, r.headers().firstValue("etag").orElseThrow());
        assertEquals("bytes", r.headers().firstValue("accept-ranges").orElseThrow());
        assertArrayEquals(expected(from, to), r.body());
        assertTrue(r.headers().firstValue("set-cookie").isEmpty());
    }

    @Test
    void aWholeLargeFileStreamsIntactAndHeadAnd304Work() throws Exception {
        HttpResponse<InputStream> whole =
                HTTP.send(authed(proxy("media", "/files/big.bin")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, whole.statusCode());
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        long n;
        try (InputStream in = whole.body()) {
            n = in.transferTo(new java.security.DigestOutputStream(OutputStream.nullOutputStream(), got));
        }
        assertEquals(BIG, n);
        MessageDigest want = MessageDigest.getInstance("SHA-256");
        want.update(expected(0, BIG - 1));
        assertArrayEquals(want.digest(), got.digest());

        HttpResponse<byte[]> head =
                bytes(authed(proxy("media", "/files/big.bin")).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(
                Long.toString(BIG), head.headers().firstValue("content-length").orElseThrow());
        assertEquals("HEAD", upstream.seenPath("/api/files/big.bin").get(1).method());

        HttpResponse<byte[]> cached =
                bytes(authed(proxy("media", "/files/big.bin")).header("If-None-Match", RecordingUpstream.ETAG));
        assertEquals(304, cached.statusCode());
        assertEquals(0, cached.body().length);
        assertEquals(RecordingUpstream.ETAG, cached.headers().firstValue("etag").orElseThrow());
    }

    @Test
    void aPostBodyArrivesWholeAndAnOversizedOneIsRefused() throws Exception {
        byte[] body = new byte[300_000];
        new java.util.Random(7).nextBytes(body);
        HttpResponse<String> ok = send(authed(proxy("media", "/upload"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertEquals(201, ok.statusCode(), ok.body());
        RecordingUpstream.Seen seen = only("/api/upload");
        assertEquals(body.length, seen.bodyBytes());
        assertEquals("application/octet-stream", seen.header("content-type"));

        HttpResponse<String> big = send(authed(proxy("media", "/upload"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024])));
        assertRefused(413, "body_too_large", big);
        assertEquals(1, upstream.seenPath("/api/upload").size(), "the oversized body never went upstream");
    }

    // ---- what never reaches the upstream ------------------------------------------------------

    @Test
    void escapesAndDisallowedPathsAreRefused() throws Exception {
        String token = token("alice", alicePassword);
        for (String path : List.of(
                "/files/%2e%2e/%2e%2e/secret",
                "/files/a%2fb",
                "/files/a%2Fb",
                "/files/a%5cb",
                "/files/%252e%252e/x",
                "/files/..;/x",
                "/files//big.bin",
                "/files/a%00b",
                "/files/a%0d%0aX-Injected:%201")) {
            Raw r = raw("GET", "/realms/" + REALM + "/header-proxy/media" + path, token, List.of());
            assertTrue(r.status() == 400 || r.status() == 404, path + " -> " + r.status() + " " + r.body());
            if (r.body().startsWith("{")) {
                String error = VaultApi.JSON.readTree(r.body()).path("error").asText();
                // missingNormalization, invalidCharacter: Keycloak itself refuses some before the proxy sees them
                assertTrue(
                        Set.of("invalid_path", "path_not_allowed", "missingNormalization", "invalidCharacter")
                                .contains(error),
                        path + " -> " + error);
            }
        }
        // dot segments: the server may resolve them first; either way nothing outside /files/ is fetched
        Raw dots = raw("GET", "/realms/" + REALM + "/header-proxy/media/files/../../admin", token, List.of());
        assertTrue(dots.status() == 400 || dots.status() == 404, "dots -> " + dots.status());
        Raw backslash = raw("GET", "/realms/" + REALM + "/header-proxy/media/files/..\\..\\admin", token, List.of());
        assertTrue(backslash.status() == 400 || backslash.status() == 404, "backslash -> " + backslash.status());
        assertRefused(404, "path_not_allowed", send(authed(proxy("media", "/admin/users"))));
        assertTrue(upstream.seen().isEmpty(), "an escape reached the upstream: " + upstream.seen());
    }

    @Test
    void unsafeHeaderValuesAndWrongMethodsAreRefused() throws Exception {
        String token = token("alice", alicePassword);
        Raw nonAscii =
                raw("GET", "/realms/" + REALM + "/header-proxy/media/echo/x", token, List.of("Accept: text/caf\u00e9"));
        assertEquals(400, nonAscii.status(), nonAscii.body());
        Raw bareCr = raw(
                "GET",
                "/realms/" + REALM + "/header-proxy/media/echo/x",
                token,
                List.of("Accept: text/plain\rX-Injected: yes"));
        assertEquals(400, bareCr.status(), bareCr.body());
        assertTrue(upstream.seen().isEmpty(), "reached the upstream: " + upstream.seen());
        // obs-fold: the server may fold the line into Accept's value; it must never become a header of its own
        Raw folded = raw(
                "GET",
                "/realms/" + REALM + "/header-proxy/media/echo/folded",
                token,
                List.of("Accept: text/plain", " X-Injected: yes"));
        assertTrue(folded.status() == 400 || folded.status() == 200, "folded -> " + folded.status());
        upstream.seen().forEach(seen -> assertNull(seen.header("x-injected"), "a folded line became a header"));
        upstream.forget();
        HttpResponse<String> delete = send(authed(proxy("media", "/echo/x")).DELETE());
        assertRefused(405, "method_not_allowed", delete);
        assertEquals("GET, HEAD, POST", delete.headers().firstValue("allow").orElseThrow());
        assertRefused(
                405,
                "method_not_allowed",
                send(authed(proxy("plain", "/echo/x")).POST(HttpRequest.BodyPublishers.ofString("{}"))));
        assertTrue(upstream.seen().isEmpty(), "reached the upstream: " + upstream.seen());
    }

    // ---- SSRF ---------------------------------------------------------------------------------

    @Test
    void nonPublicUpstreamsAreRefusedUnlessTheProviderAllowsThem() throws Exception {
        for (String p :
                List.of("loopback", "metadata", "ipv6-loopback", "private-ten", "named-local", "mapped-loopback")) {
            HttpResponse<String> r = send(authed(proxy(p, "/anything")));
            assertRefused(502, "upstream_address_refused", r);
            assertFalse(
                    r.body().contains("127.0.0.1")
                            || r.body().contains("169.254")
                            || r.body().contains("10.0.0.1"),
                    "the answer names an address: " + r.body());
        }
        assertTrue(upstream.seen().isEmpty(), "a refused provider reached the upstream: " + upstream.seen());
        assertEquals(
                200, send(authed(proxy("media", "/echo/allowed"))).statusCode(), "127.0.0.1/32 is allowed for media");
    }

    // ---- what the operator allows (issue 17): a realm admin can only narrow it -----------------

    @Test
    void aDefinitionAskingForMoreThanTheOperatorListsIsRefusedWhenSaved() throws Exception {
        Map<String, List<String>> tooMuch = new LinkedHashMap<>();
        tooMuch.put("169.254.169.254/32", List.of("169.254.169.254/32"));
        tooMuch.put("0.0.0.0/0", List.of("0.0.0.0/0"));
        tooMuch.put("10.20.0.0/15", List.of("10.20.1.0/24", "10.20.0.0/15")); // broader than the listed 10.20.0.0/16
        tooMuch.put("127.0.0.0/8", List.of("127.0.0.0/8")); // loopback beyond the listed 127.0.0.1/32
        tooMuch.put("127.0.0.2/32", List.of("127.0.0.2/32"));
        for (Map.Entry<String, List<String>> ask : tooMuch.entrySet()) {
            Map<String, Object> rules =
                    proxy(upstream.baseUrl() + "/api", List.of("/echo"), List.of("GET"), Map.of(), List.of());
            rules.put("privateRanges", ask.getValue());
            HttpResponse<String> r =
                    admin.exchange("PUT", providerPath("too-much"), definition("too-much", "bearer", null, rules));
            assertRefused(400, "invalid_provider", r);
            assertTrue(r.body().contains(ask.getKey()), "the answer names the range: " + r.body());
        }
        assertEquals(404, admin.exchange("GET", providerPath("too-much"), null).statusCode(), "nothing was saved");

        for (List<String> within : List.of(List.of("10.20.30.0/24"), List.of("127.0.0.1/32", "10.20.0.0/16"))) {
            Map<String, Object> rules =
                    proxy(upstream.baseUrl() + "/api", List.of("/echo"), List.of("GET"), Map.of(), List.of());
            rules.put("privateRanges", within);
            HttpResponse<String> r =
                    admin.exchange("PUT", providerPath("within"), definition("within", "bearer", null, rules));
            assertTrue(r.statusCode() == 201 || r.statusCode() == 200, within + ": " + r.statusCode() + " " + r.body());
        }
        admin.send("DELETE", providerPath("within"), null);
    }

    @Test
    void cloudMetadataHeadersAreRefusedWhenSaved() throws Exception {
        String local = upstream.baseUrl() + "/api";
        Map<String, Object> fixed =
                proxy(local, List.of("/echo"), List.of("GET"), Map.of("Metadata-Flavor", "Google"), List.of());
        Map<String, Object> passed =
                proxy(local, List.of("/echo"), List.of("GET"), Map.of(), List.of("X-aws-ec2-metadata-token"));
        Map<String, Object> plain = proxy(local, List.of("/echo"), List.of("GET"), Map.of(), List.of());
        for (Map.Entry<String, Map<String, Object>> asked : List.of(
                Map.entry("Metadata-Flavor", definition("meta", "bearer", null, fixed)),
                Map.entry("X-aws-ec2-metadata-token", definition("meta", "bearer", null, passed)),
                Map.entry("Metadata", definition("meta", "api-key-header", "Metadata", plain)))) {
            HttpResponse<String> r = admin.exchange("PUT", providerPath("meta"), asked.getValue());
            assertRefused(400, "invalid_provider", r);
            assertTrue(r.body().contains(asked.getKey() + " is a cloud-metadata header"), r.body());
        }
        assertEquals(404, admin.exchange("GET", providerPath("meta"), null).statusCode(), "nothing was saved");
    }

    @Test
    void allowPrivateNetworkMeansWhatTheOperatorListsNeverMore() throws Exception {
        for (Map.Entry<String, String> p : Map.of(
                        "listed-all", upstream.baseUrl(), "beyond-listing", outsider.baseUrl())
                .entrySet()) {
            Map<String, Object> rules =
                    proxy(p.getValue() + "/api", List.of("/echo"), List.of("GET"), Map.of(), List.of());
            rules.remove("privateRanges");
            rules.put("allowPrivateNetwork", true);
            provider(p.getKey(), "bearer", null, rules);
            storeSecret(token("alice", alicePassword), p.getKey(), "secret-for-" + p.getKey());
        }
        assertEquals(200, send(authed(proxy("listed-all", "/echo/listed"))).statusCode(), "127.0.0.1/32 is listed");
        HttpResponse<String> beyond = send(authed(proxy("beyond-listing", "/echo/beyond")));
        assertRefused(502, "upstream_address_refused", beyond);
        assertTrue(outsider.seen().isEmpty(), "127.0.0.2 is not listed, yet it was called: " + outsider.seen());
    }

    @Test
    void aDefinitionThatCameInPastTheAdminApiGetsNoMoreAtCallTime() throws Exception {
        String local = upstream.baseUrl() + "/api";
        Map<String, Map<String, Object>> imported = new LinkedHashMap<>();
        imported.put("imported-wide", proxy(local, List.of("/echo"), List.of("GET"), Map.of(), List.of()));
        imported.get("imported-wide").put("privateRanges", List.of("0.0.0.0/0"));
        imported.put("imported-metadata", proxy(local, List.of("/echo"), List.of("GET"), Map.of(), List.of()));
        imported.get("imported-metadata").put("privateRanges", List.of("127.0.0.1/32", "169.254.169.254/32"));
        imported.put(
                "imported-header",
                proxy(local, List.of("/echo"), List.of("GET"), Map.of("Metadata", "true"), List.of()));
        Map<String, String> attributes = new LinkedHashMap<>();
        admin.realm(REALM)
                .path("attributes")
                .fields()
                .forEachRemaining(a -> attributes.put(a.getKey(), a.getValue().asText()));
        for (Map.Entry<String, Map<String, Object>> p : imported.entrySet()) {
            attributes.put(
                    "keyward.vault.provider." + p.getKey(),
                    VaultApi.JSON.writeValueAsString(definition(p.getKey(), "bearer", null, p.getValue())));
        }
        // what a realm import, or an admin writing the realm's attributes directly, does: no save-time check
        admin.updateRealm(REALM, Map.of("attributes", attributes));

        String token = token("alice", alicePassword);
        for (String p : imported.keySet()) {
            storeSecret(token, p, "secret-for-" + p);
            assertRefused(502, "provider_not_permitted", send(authed(proxy(p, "/echo/imported"))));
        }
        assertTrue(upstream.seen().isEmpty(), "a refused definition reached the upstream: " + upstream.seen());

        String warning = "provider imported-wide refused";
        for (int i = 0; i < 100 && logLines(warning) == 0; i++) {
            Thread.sleep(100);
        }
        assertRefused(502, "provider_not_permitted", send(authed(proxy("imported-wide", "/echo/again"))));
        Thread.sleep(500);
        assertEquals(1, logLines(warning), "one WARN line per node, not one per request");
        assertTrue(upstream.seen().isEmpty());
    }

    @Test
    void redirectsAreFollowedOnlyInsideTheProvidersRules() throws Exception {
        HttpResponse<String> metadata =
                send(authed(proxy("media", "/redirect?to=http://169.254.169.254/latest/meta-data/")));
        assertRefused(502, "upstream_redirect_refused", metadata);
        HttpResponse<String> outside = send(authed(proxy("media", "/redirect?to=/admin/users")));
        assertRefused(502, "upstream_redirect_refused", outside);
        HttpResponse<String> otherHost =
                send(authed(proxy("media", "/redirect?to=http://localhost:" + upstream.port() + "/api/echo/x")));
        assertRefused(502, "upstream_redirect_refused", otherHost);
        assertTrue(upstream.seenPath("/admin/users").isEmpty()
                && upstream.seenPath("/api/echo/x").isEmpty());

        HttpResponse<String> inside = send(authed(proxy("media", "/redirect?to=/api/echo/target")));
        assertEquals(200, inside.statusCode(), inside.body());
        assertEquals("Bearer " + MEDIA_TOKEN, only("/api/echo/target").header("authorization"));
    }

    @Test
    void anUnreachableOrSlowUpstreamGives502Or504() throws Exception {
        assertRefused(502, "upstream_unreachable", send(authed(proxy("closed", "/x"))));
        long start = System.nanoTime();
        assertRefused(504, "upstream_timeout", send(authed(proxy("media", "/slow"))));
        assertTrue((System.nanoTime() - start) / 1_000_000_000 < 6, "the 3 s response timeout was not applied");
    }

    // ---- tokens -------------------------------------------------------------------------------

    @Test
    void missingWrongRealmExpiredOrUnauthorisedTokensAreRefused() throws Exception {
        HttpResponse<String> none = send(HttpRequest.newBuilder(proxy("media", "/echo/x")));
        assertRefused(401, "invalid_token", none);
        assertEquals(
                "Bearer realm=\"" + REALM + "\"",
                none.headers().firstValue("www-authenticate").orElseThrow());
        HttpResponse<String> basic = send(
                HttpRequest.newBuilder(proxy("media", "/echo/x")).header("Authorization", "Basic YWxpY2U6cGFzcw=="));
        assertRefused(401, "invalid_token", basic);
        assertEquals(
                "Bearer realm=\"" + REALM + "\", error=\"invalid_token\"",
                basic.headers().firstValue("www-authenticate").orElseThrow());

        String otherRealm = "keyward-proxy-it-other";
        admin.send("POST", "/admin/realms", Map.of("realm", otherRealm, "enabled", true));
        admin.send(
                "POST",
                "/admin/realms/" + otherRealm + "/clients",
                Map.of(
                        "clientId",
                        CLI,
                        "publicClient",
                        true,
                        "standardFlowEnabled",
                        false,
                        "directAccessGrantsEnabled",
                        true));
        String pw = KeycloakServer.randomSecret();
        admin.createUser(otherRealm, "alice", "alice@example.test", pw);
        assertRefused(
                401,
                "invalid_token",
                send(HttpRequest.newBuilder(proxy("media", "/echo/x"))
                        .header("Authorization", "Bearer " + vault.userToken(otherRealm, CLI, "alice", pw))));

        assertRefused(
                403,
                "insufficient_scope",
                send(HttpRequest.newBuilder(proxy("media", "/echo/x"))
                        .header(
                                "Authorization",
                                "Bearer " + vault.userToken(REALM, OTHER_CLI, "alice", alicePassword))));

        admin.updateRealm(REALM, Map.of("accessTokenLifespan", 2));
        String shortLived;
        try {
            shortLived = token("alice", alicePassword);
        } finally {
            admin.updateRealm(REALM, Map.of("accessTokenLifespan", 300));
        }
        assertEquals(
                200,
                send(HttpRequest.newBuilder(proxy("media", "/echo/fresh"))
                                .header("Authorization", "Bearer " + shortLived))
                        .statusCode());
        Thread.sleep(3_500);
        assertRefused(
                401,
                "invalid_token",
                send(HttpRequest.newBuilder(proxy("media", "/echo/x"))
                        .header("Authorization", "Bearer " + shortLived)));
        assertEquals(1, upstream.seen().size(), "only the fresh token's call went upstream");
    }

    /** Issue 17, item 6: the realm's other clients get the same user's tokens, but only a granted client gets through. */
    @Test
    void onlyAClientGrantedTheScopeGetsThroughAndOnlyWhenItsTokenCarriesIt() throws Exception {
        HttpResponse<String> other = send(HttpRequest.newBuilder(proxy("media", "/echo/other"))
                .header("Authorization", "Bearer " + vault.userToken(REALM, OTHER_CLI, "alice", alicePassword)));
        assertRefused(403, "insufficient_scope", other);
        assertEquals(
                "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\", scope=\"keyward-proxy\"",
                other.headers().firstValue("www-authenticate").orElseThrow());
        // optional: a token it did not ask the scope for, or asked only the vault's for, is refused the same way
        for (String asked : Arrays.asList(null, AdminApi.VAULT_SCOPE)) {
            assertRefused(
                    403,
                    "insufficient_scope",
                    send(HttpRequest.newBuilder(proxy("media", "/echo/unasked"))
                            .header(
                                    "Authorization",
                                    "Bearer " + vault.userToken(REALM, ASKING_CLI, "alice", alicePassword, asked))));
        }
        assertTrue(upstream.seen().isEmpty(), "a refused token reached the upstream: " + upstream.seen());

        String granted = vault.userToken(REALM, ASKING_CLI, "alice", alicePassword, AdminApi.PROXY_SCOPE);
        assertTrue(VaultApi.audiences(granted).contains("keyward-proxy"), "the scope's mapper adds the audience");
        HttpResponse<String> asked = send(
                HttpRequest.newBuilder(proxy("media", "/echo/asked")).header("Authorization", "Bearer " + granted));
        assertEquals(200, asked.statusCode(), asked.body());
        assertEquals("Bearer " + MEDIA_TOKEN, only("/api/echo/asked").header("authorization"));
    }

    /**
     * A realm imported from the export before issue 17, item 6: {@code proxy-user} is a default role
     * of the client {@code keyward-proxy}, so every client's tokens name that audience and carry the
     * role, but no client holds the scope. After the upgrade it fails closed until an admin assigns it.
     */
    @Test
    void aRealmFromTheOldExportFailsClosed() throws Exception {
        String old = "keyward-proxy-it-old-export";
        admin.send("POST", "/admin/realms", Map.of("realm", old, "enabled", true));
        try {
            admin.send(
                    "POST",
                    "/admin/realms/" + old + "/clients",
                    Map.of(
                            "clientId",
                            "keyward-proxy",
                            "publicClient",
                            false,
                            "standardFlowEnabled",
                            false,
                            "directAccessGrantsEnabled",
                            false));
            String proxyClient = admin.client(old, "keyward-proxy").get("id").asText();
            admin.send(
                    "POST",
                    "/admin/realms/" + old + "/clients/" + proxyClient + "/roles",
                    Map.of("name", "proxy-user"));
            String role = admin.get("/admin/realms/" + old + "/clients/" + proxyClient + "/roles/proxy-user")
                    .get("id")
                    .asText();
            admin.send(
                    "POST",
                    "/admin/realms/" + old + "/roles/default-roles-" + old + "/composites",
                    List.of(Map.of("id", role)));
            admin.createDirectGrantClient(old, CLI, List.of(ORIGIN), List.of(), List.of());
            admin.send(
                    "PUT",
                    "/admin/realms/" + old + "/keyward-vault/providers/media",
                    definition(
                            "media",
                            "bearer",
                            null,
                            proxy(upstream.baseUrl() + "/api", List.of("/echo"), List.of("GET"), Map.of(), List.of())));
            String pw = KeycloakServer.randomSecret();
            admin.createUser(old, "alice", "alice@example.test", pw);
            String token = vault.userToken(old, CLI, "alice", pw);
            assertTrue(
                    VaultApi.audiences(token).contains("keyward-proxy"),
                    "the old default role still names the audience");
            assertFalse(VaultApi.claims(token).path("scope").asText().contains("keyward"), "no client holds the scope");

            HttpResponse<String> r = send(HttpRequest.newBuilder(
                            keycloak.baseUri().resolve("/realms/" + old + "/header-proxy/media/echo/old"))
                    .header("Authorization", "Bearer " + token));
            assertRefused(403, "insufficient_scope", r);
            VaultApi.Answer store =
                    vault.userJson("PUT", old, "credentials/media", token, Map.of("secret", "old-realm-secret"));
            assertEquals(403, store.status(), store.body());
            assertEquals("insufficient_scope", store.error());
            assertTrue(upstream.seen().isEmpty(), "the old realm's token reached the upstream: " + upstream.seen());
        } finally {
            admin.send("DELETE", "/admin/realms/" + old, null);
        }
    }

    @Test
    void unknownProvidersAndMissingCredentialsAreRefused() throws Exception {
        assertRefused(404, "unknown_provider", send(authed(proxy("nope", "/x"))));
        assertRefused(403, "no_credential", send(authed(proxy("nocred", "/x"))));
        assertTrue(upstream.seen().isEmpty());
    }

    @Test
    void browsersFromTheClientsOriginGetCorsAndOthersAreRefused() throws Exception {
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(proxy("media", "/files/big.bin"))
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "GET")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(204, preflight.statusCode());
        assertEquals(
                ORIGIN,
                preflight.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertEquals(
                "GET, HEAD, POST",
                preflight.headers().firstValue("access-control-allow-methods").orElseThrow());
        assertTrue(preflight
                .headers()
                .firstValue("access-control-allow-headers")
                .orElseThrow()
                .contains("Range"));
        // no token yet: only origins of clients that hold the scope; the other application's is not one
        for (String origin : List.of("https://evil.example", OTHER_ORIGIN)) {
            HttpResponse<String> refused = send(HttpRequest.newBuilder(proxy("media", "/files/big.bin"))
                    .header("Origin", origin)
                    .header("Access-Control-Request-Method", "GET")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
            assertTrue(
                    refused.headers().firstValue("access-control-allow-origin").isEmpty(),
                    origin + " got a preflight answer");
        }

        HttpResponse<String> allowed = send(authed(proxy("media", "/echo/cors")).header("Origin", ORIGIN));
        assertEquals(200, allowed.statusCode());
        assertEquals(
                ORIGIN,
                allowed.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertTrue(allowed.headers()
                .firstValue("access-control-expose-headers")
                .orElseThrow()
                .contains("Content-Range"));
        assertRefused(
                403,
                "origin_not_allowed",
                send(authed(proxy("media", "/echo/cors")).header("Origin", "https://evil.example")));
        assertEquals(1, upstream.seen().size());
    }

    // ---- limits -------------------------------------------------------------------------------

    @Test
    void theRateLimitAnswers429WithRetryAfter() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, send(authed(proxy("limited", "/echo/" + i))).statusCode());
        }
        HttpResponse<String> fourth = send(authed(proxy("limited", "/echo/3")));
        assertRefused(429, "rate_limited", fourth);
        long retryAfter =
                Long.parseLong(fourth.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 86_400, "Retry-After " + retryAfter);
        assertEquals(3, upstream.seen().size());
        assertEquals(200, send(authed(proxy("media", "/echo/other-provider"))).statusCode(), "limits are per provider");
    }

    @Test
    void finishedRequestsNeverCountAsOpenStreams() throws Exception {
        String token = token("alice", alicePassword);
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> r = send(
                    HttpRequest.newBuilder(proxy("media", "/echo/seq" + i)).header("Authorization", "Bearer " + token));
            assertEquals(200, r.statusCode(), "request " + i + " right after the one before: " + r.body());
        }
    }

    @Test
    void aUserCannotOpenMoreThanTheirConcurrentStreams() throws Exception {
        List<CompletableFuture<HttpResponse<InputStream>>> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                HttpResponse<InputStream> r =
                        HTTP.send(authed(proxy("media", "/hold")).build(), HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, r.statusCode());
                assertEquals('x', r.body().read(), "the held stream has started");
                open.add(CompletableFuture.completedFuture(r));
            }
            HttpResponse<String> fourth = send(authed(proxy("media", "/echo/x")));
            assertRefused(429, "too_many_streams", fourth);
        } finally {
            upstream.releaseHolds();
            for (CompletableFuture<HttpResponse<InputStream>> f : open) {
                f.get().body().close();
            }
        }
        HttpResponse<String> after = null;
        for (int i = 0; i < 50 && (after == null || after.statusCode() == 429); i++) {
            Thread.sleep(100);
            after = send(authed(proxy("media", "/echo/after")));
        }
        assertEquals(200, after.statusCode(), "the slots came back when the streams ended");
    }

    @Test
    void countersPerProviderAreOnTheManagementPort() throws Exception {
        send(authed(proxy("media", "/echo/metrics")));
        HttpResponse<String> metrics =
                send(HttpRequest.newBuilder(keycloak.managementUri().resolve("/metrics")));
        assertEquals(200, metrics.statusCode());
        List<String> lines = metrics.body()
                .lines()
                .filter(l -> l.startsWith("keyward_proxy_"))
                .toList();
        assertTrue(
                lines.stream()
                        .anyMatch(l -> l.startsWith("keyward_proxy_requests_total{")
                                && l.contains("provider=\"media\"")
                                && l.contains("status_class=\"2xx\"")
                                && l.contains("source=\"upstream\"")),
                String.join("\n", lines));
        assertTrue(
                lines.stream()
                        .anyMatch(l ->
                                l.startsWith("keyward_proxy_bytes_total{") && l.contains("direction=\"response\"")),
                String.join("\n", lines));
        assertFalse(metrics.body().contains(MEDIA_TOKEN));
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static Map<String, Object> proxy(
            String baseUrl,
            List<String> prefixes,
            List<String> methods,
            Map<String, String> staticHeaders,
            List<String> passThrough) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("baseUrl", baseUrl);
        p.put("allowHttp", true);
        p.put("pathPrefixes", prefixes);
        p.put("methods", methods);
        p.put("staticHeaders", staticHeaders);
        p.put("passThroughHeaders", passThrough);
        p.put("privateRanges", List.of("127.0.0.1/32"));
        return p;
    }

    private static void provider(String id, String kind, String credentialName, Map<String, Object> proxy) {
        admin.send("PUT", providerPath(id), definition(id, kind, credentialName, proxy));
    }

    private static Map<String, Object> definition(
            String id, String kind, String credentialName, Map<String, Object> proxy) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("displayName", id);
        d.put("credentialKind", kind);
        if (credentialName != null) {
            d.put("credentialName", credentialName);
        }
        d.put("proxy", proxy);
        return d;
    }

    private static String providerPath(String id) {
        return "/admin/realms/" + REALM + "/keyward-vault/providers/" + id;
    }

    /** Lines of the shared Keycloak's log that hold {@code text}. */
    private static long logLines(String text) throws IOException {
        try (Stream<String> lines = Files.lines(keycloak.logFile())) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    private static void storeSecret(String token, String provider, String secret) {
        VaultApi.Answer a = vault.userJson("PUT", REALM, "credentials/" + provider, token, Map.of("secret", secret));
        assertEquals(201, a.status(), a.body());
    }

    private static String token(String user, String password) {
        return vault.userToken(REALM, CLI, user, password);
    }

    private static URI proxy(String provider, String pathAndQuery) {
        return keycloak.baseUri().resolve("/realms/" + REALM + "/header-proxy/" + provider + pathAndQuery);
    }

    private static HttpRequest.Builder authed(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token("alice", alicePassword));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> bytes(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static RecordingUpstream.Seen only(String rawPath) {
        List<RecordingUpstream.Seen> seen = upstream.seenPath(rawPath);
        assertEquals(1, seen.size(), "requests for " + rawPath + ": " + upstream.seen());
        return seen.get(0);
    }

    private static byte[] expected(long from, long to) {
        byte[] out = new byte[(int) (to - from + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = RecordingUpstream.bigByte(from + i);
        }
        return out;
    }

    private static void assertRefused(int status, String error, HttpResponse<String> r) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(
                r.headers().firstValue("content-type").orElse("").startsWith("application/json"),
                r.headers().toString());
        assertEquals(error, VaultApi.JSON.readTree(r.body()).path("error").asText(), r.body());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private record Raw(int status, String body) {}

    /** One HTTP/1.1 request written byte for byte, for paths and headers an HTTP client would clean up. */
    private static Raw raw(String method, String rawPath, String token, List<String> extraHeaderLines)
            throws IOException {
        URI base = keycloak.baseUri();
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder(method)
                    .append(' ')
                    .append(rawPath)
                    .append(" HTTP/1.1\r\n")
                    .append("Host: ")
                    .append(base.getHost())
                    .append(':')
                    .append(base.getPort())
                    .append("\r\n")
                    .append("Authorization: Bearer ")
                    .append(token)
                    .append("\r\n");
            for (String line : extraHeaderLines) {
                req.append(line).append("\r\n");
            }
            req.append("Connection: close\r\n\r\n");
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            s.getInputStream().transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            int bodyAt = text.indexOf("\r\n\r\n");
            String body = bodyAt < 0 ? "" : text.substring(bodyAt + 4);
            if (text.substring(0, Math.max(0, bodyAt))
                    .toLowerCase(java.util.Locale.ROOT)
                    .contains("transfer-encoding: chunked")) {
                StringBuilder joined = new StringBuilder();
                int at = 0;
                while (at < body.length()) {
                    int eol = body.indexOf("\r\n", at);
                    int size = Integer.parseInt(body.substring(at, eol).trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    joined.append(body, eol + 2, eol + 2 + size);
                    at = eol + 2 + size + 2;
                }
                body = joined.toString();
            }
            return new Raw(status, body.trim());
        }
    }
}
