package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.opaque.AuthenticationException;
import dev.keyward.opaque.Identities;
import dev.keyward.opaque.KE2;
import dev.keyward.opaque.Ksf;
import dev.keyward.opaque.OpaqueClient;
import dev.keyward.opaque.OpaqueConfiguration;
import dev.keyward.opaque.OpaqueSuite;
import dev.keyward.opaque.RegistrationResponse;
import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The OPAQUE wire protocol of keyward-opaque-login and keyward-opaque-register against the real
 * Keycloak, spoken over plain HTTP by opaque-java's client (the KSF does not matter to the
 * server, so the identity KSF keeps it fast). Its own realm, so the demo realm stays untouched:
 * a user with a legacy password registers OPAQUE through the required action, then logs in
 * with the OPAQUE form; wrong password, unknown user, replay, malformed input and lockout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpaqueWireIT {
    private static final String REALM = "opaque-wire-it";
    private static final String CLIENT = "wire-client";
    private static final String REDIRECT = "http://localhost:9/callback";
    private static final String PASSWORD = "opaque-password-1";
    private static final OpaqueSuite SUITE = OpaqueSuite.RISTRETTO255_SHA512;
    private static final OpaqueConfiguration CONFIG = new OpaqueConfiguration(SUITE, new byte[0], Ksf.IDENTITY);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static String userId;

    @BeforeAll
    static void realm() {
        keycloak = KeycloakServer.get();
        admin = new AdminApi(keycloak);
        OpaqueRealm.create(admin, REALM, Map.of("bruteForceProtected", true, "failureFactor", 3,
                "loginWithEmailAllowed", true, "eventsEnabled", true, "passwordPolicy", "length(10) and notUsername"));
        admin.send("POST", "/admin/realms/" + REALM + "/clients", Map.of("clientId", CLIENT, "publicClient", true,
                "standardFlowEnabled", true, "redirectUris", List.of(REDIRECT)));
        userId = OpaqueRealm.createLegacyUser(admin, REALM, "alice", "alice@example.com", "legacy-password-1");
    }

    @Test
    @Order(1)
    void legacyUserRegistersThroughTheRequiredAction() throws Exception {
        Browser b = new Browser();
        HttpResponse<String> login = b.get(authUrl());
        HttpResponse<String> page = b.post(formAction(login.body()), Map.of("username", "alice", "password", "legacy-password-1"));
        assertEquals(200, page.statusCode());
        String html = page.body();
        assertTrue(html.contains("data-keyward-opaque=\"register\""));
        assertTrue(html.contains("data-suite=\"ristretto255-SHA512\""));
        assertTrue(html.contains("data-min-length=\"10\"") && html.contains("data-not-username=\"true\""));
        assertFalse(Pattern.compile("<input[^>]*id=\"password-new\"[^>]*name=").matcher(html).find());

        OpaqueClient client = new OpaqueClient(CONFIG);
        OpaqueClient.RegistrationStart start = client.startRegistration(PASSWORD.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> step1 = b.post(formAction(html),
                Map.of("opaque_step", "registration-request", "request", b64(start.request().toBytes())));
        assertEquals(200, step1.statusCode());
        assertTrue(step1.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
        JsonNode json = JSON.readTree(step1.body());
        assertEquals(2, json.size());
        byte[] record = client.finishRegistration(start.state(),
                RegistrationResponse.fromBytes(SUITE, unb64(json.get("response").asText())), Identities.NONE).record().toBytes();
        HttpResponse<String> step2 = b.post(json.get("action").asText(),
                Map.of("opaque_step", "registration-record", "record", b64(record)));
        assertEquals(302, step2.statusCode());
        assertTrue(step2.headers().firstValue("Location").orElseThrow().startsWith(REDIRECT));

        JsonNode creds = admin.get("/admin/realms/" + REALM + "/users/" + userId + "/credentials");
        assertEquals(1, creds.size(), creds.toString());
        assertEquals("keyward-opaque", creds.get(0).get("type").asText(), "legacy password removed");
        assertFalse(creds.toString().contains("record"), "the record is secret data");

        OpaqueRealm.useOpaqueBrowserFlow(admin, REALM);
    }

    @Test
    @Order(2)
    void opaqueLoginGivesTokens() throws Exception {
        Browser b = new Browser();
        Attempt a = attempt(b, "alice", PASSWORD);
        assertTrue(a.pageHtml.contains("data-keyward-opaque=\"login\"") && a.pageHtml.contains("name=\"ke3\""));
        assertFalse(Pattern.compile("<input[^>]*id=\"password\"[^>]*name=").matcher(a.pageHtml).find());
        assertTrue(a.pageHtml.contains("<noscript>"));
        assertTrue(a.clientAccepted, "server authenticated to the client");
        assertEquals(302, a.result.statusCode());
        String location = a.result.headers().firstValue("Location").orElseThrow();
        Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
        assertTrue(code.find(), location);
        HttpResponse<String> tokens = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(keycloak.realmUri(REALM) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code",
                        "client_id", CLIENT, "code", code.group(1), "redirect_uri", REDIRECT)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, tokens.statusCode(), tokens.body());
        assertNotNull(JSON.readTree(tokens.body()).get("access_token"));
        assertEquals(302, attempt(new Browser(), "alice@example.com", PASSWORD).result.statusCode(), "email login");
    }

    @Test
    @Order(3)
    void wrongPasswordAndUnknownUserLookTheSame() throws Exception {
        Attempt wrong = attempt(new Browser(), "alice", "not-the-password");
        Attempt unknown = attempt(new Browser(), "nobody-" + System.nanoTime(), "whatever-it-is");
        assertFalse(wrong.clientAccepted);
        assertFalse(unknown.clientAccepted);
        assertEquals(wrong.ke2.length(), unknown.ke2.length());
        for (Attempt a : List.of(wrong, unknown)) {
            assertEquals(200, a.result.statusCode());
            assertTrue(a.result.body().contains("Invalid username or password."));
        }
        admin.send("DELETE", "/admin/realms/" + REALM + "/attack-detection/brute-force/users/" + userId, null);
    }

    @Test
    @Order(4)
    void ke3IsSingleUse() throws Exception {
        Browser b = new Browser();
        Attempt ok = attempt(b, "nobody-replay", "x");
        // the same KE3 again, to a fresh action URL of the same session: the state is gone
        HttpResponse<String> replay = b.post(formAction(ok.result.body()), Map.of("opaque_step", "ke3", "ke3", ok.ke3));
        assertEquals(200, replay.statusCode());
        assertTrue(replay.body().contains("Invalid username or password."));
        // and to its own (consumed) action URL from another session: no login
        HttpResponse<String> other = new Browser().post(ok.action, Map.of("opaque_step", "ke3", "ke3", ok.ke3));
        assertFalse(other.statusCode() == 302 && other.headers().firstValue("Location").orElse("").startsWith(REDIRECT));
        assertTrue(other.statusCode() < 500);
    }

    @Test
    @Order(5)
    void malformedInputIs400NotAStackTrace() throws Exception {
        Browser b1 = new Browser();
        HttpResponse<String> bad1 = b1.post(formAction(b1.get(authUrl()).body()),
                Map.of("opaque_step", "ke1", "username", "alice", "ke1", "AAAA"));
        assertEquals(400, bad1.statusCode());
        assertEquals("{\"error\":\"invalid_request\"}", bad1.body());

        Browser b2 = new Browser();
        HttpResponse<String> identity = b2.post(formAction(b2.get(authUrl()).body()),
                Map.of("opaque_step", "ke1", "username", "alice", "ke1", b64(new byte[SUITE.ke1Length()])));
        assertEquals(400, identity.statusCode());

        Browser b3 = new Browser();
        HttpResponse<String> noStep = b3.post(formAction(b3.get(authUrl()).body()), Map.of("username", "alice"));
        assertEquals(400, noStep.statusCode());
        assertTrue(noStep.body().contains("The request could not be processed"));

        Browser b4 = new Browser();
        OpaqueClient client = new OpaqueClient(CONFIG);
        HttpResponse<String> ke2 = b4.post(formAction(b4.get(authUrl()).body()), Map.of("opaque_step", "ke1",
                "username", "alice", "ke1", b64(client.startLogin(new byte[] {1}).ke1().toBytes())));
        HttpResponse<String> badKe3 = b4.post(JSON.readTree(ke2.body()).get("action").asText(),
                Map.of("opaque_step", "ke3", "ke3", "short"));
        assertEquals(400, badKe3.statusCode());
        assertFalse(badKe3.body().contains("Exception"));
        admin.send("DELETE", "/admin/realms/" + REALM + "/attack-detection/brute-force/users/" + userId, null);
    }

    @Test
    @Order(6)
    void threeWrongPasswordsLockTheAccountAndSuccessClearsTheCount() throws Exception {
        admin.send("DELETE", "/admin/realms/" + REALM + "/attack-detection/brute-force/users/" + userId, null);
        for (int i = 0; i < 3; i++) {
            Thread.sleep(1100); // slower than Keycloak's quick-login check (1 s)
            attempt(new Browser(), "alice", "wrong-" + i);
        }
        JsonNode status = awaitFailures(3);
        assertTrue(status.get("disabled").asBoolean(), status.toString());
        Attempt locked = attempt(new Browser(), "alice", PASSWORD);
        assertFalse(locked.clientAccepted, "a locked account gets a fake KE2: no password oracle");
        assertTrue(locked.result.body().contains("Invalid username or password."));

        admin.send("DELETE", "/admin/realms/" + REALM + "/attack-detection/brute-force/users/" + userId, null);
        Thread.sleep(1100);
        assertEquals(302, attempt(new Browser(), "alice", PASSWORD).result.statusCode());
        assertEquals(0, awaitFailures(0).get("numFailures").asInt());
    }

    @Test
    @Order(7)
    void eventsNameTheErrorButNoSecret() throws Exception {
        JsonNode events = admin.get("/admin/realms/" + REALM + "/events?max=200");
        String all = events.toString();
        assertTrue(all.contains("\"error\":\"invalid_user_credentials\""));
        assertTrue(all.contains("\"error\":\"user_not_found\""));
        assertFalse(all.contains(PASSWORD));
        String log = java.nio.file.Files.readString(keycloak.logFile());
        assertFalse(log.contains(PASSWORD));
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static JsonNode awaitFailures(int expected) throws InterruptedException {
        JsonNode status = null;
        for (int i = 0; i < 50; i++) { // the brute-force protector records asynchronously
            status = admin.get("/admin/realms/" + REALM + "/attack-detection/brute-force/users/" + userId);
            if (status.get("numFailures").asInt() == expected) {
                return status;
            }
            Thread.sleep(100);
        }
        return status;
    }

    private record Attempt(String pageHtml, String ke2, String action, String ke3, boolean clientAccepted,
            HttpResponse<String> result) {
    }

    private static Attempt attempt(Browser b, String username, String password) throws Exception {
        HttpResponse<String> page = b.get(authUrl());
        OpaqueClient client = new OpaqueClient(CONFIG);
        OpaqueClient.LoginStart start = client.startLogin(password.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> step1 = b.post(formAction(page.body()),
                Map.of("opaque_step", "ke1", "username", username, "ke1", b64(start.ke1().toBytes())));
        assertEquals(200, step1.statusCode(), step1.body());
        assertTrue(step1.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
        JsonNode json = JSON.readTree(step1.body());
        String ke2 = json.get("ke2").asText();
        byte[] ke3;
        boolean accepted;
        try {
            ke3 = client.finishLogin(start.state(), KE2.fromBytes(SUITE, unb64(ke2)), Identities.NONE).ke3().toBytes();
            accepted = true;
        } catch (AuthenticationException e) {
            // the client knows the password was wrong; send a random KE3 like a careless client would
            ke3 = new byte[SUITE.ke3Length()];
            new SecureRandom().nextBytes(ke3);
            accepted = false;
        }
        String action = json.get("action").asText();
        HttpResponse<String> step2 = b.post(action, Map.of("opaque_step", "ke3", "ke3", b64(ke3)));
        return new Attempt(page.body(), ke2, action, b64(ke3), accepted, step2);
    }

    private static String authUrl() {
        return keycloak.realmUri(REALM) + "/protocol/openid-connect/auth?client_id=" + CLIENT
                + "&response_type=code&scope=openid&state=s&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8);
    }

    private static String formAction(String html) {
        Matcher m = Pattern.compile("<form[^>]*action=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find(), "no form in page");
        return m.group(1).replace("&amp;", "&");
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] unb64(String s) {
        return Base64.getUrlDecoder().decode(s);
    }

    private static String form(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }

    /** A cookie-keeping HTTP client that follows Keycloak-internal redirects, not the one to the client. */
    private static final class Browser {
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new Jar())
                .followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<String> get(String url) throws Exception {
            return follow(http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()));
        }

        HttpResponse<String> post(String url, Map<String, String> fields) throws Exception {
            return follow(http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(fields))).build(), HttpResponse.BodyHandlers.ofString()));
        }

        private HttpResponse<String> follow(HttpResponse<String> r) throws Exception {
            while (r.statusCode() == 302 && r.headers().firstValue("Location").orElse("").startsWith(keycloak.baseUri().toString())) {
                r = http.send(HttpRequest.newBuilder(URI.create(r.headers().firstValue("Location").get())).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            return r;
        }
    }

    /** Keeps cookies whatever their Secure flag says: a browser treats http://localhost as secure, java.net does not. */
    private static final class Jar extends CookieHandler {
        private final Map<String, String> cookies = new LinkedHashMap<>();

        @Override
        public synchronized Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) {
            if (cookies.isEmpty()) {
                return Map.of();
            }
            StringBuilder sb = new StringBuilder();
            cookies.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "; ").append(k).append('=').append(v));
            return Map.of("Cookie", List.of(sb.toString()));
        }

        @Override
        public synchronized void put(URI uri, Map<String, List<String>> headers) {
            headers.forEach((name, values) -> {
                if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
                    for (String c : values) {
                        String nv = c.split(";", 2)[0];
                        int eq = nv.indexOf('=');
                        String key = nv.substring(0, eq).trim();
                        String value = nv.substring(eq + 1).trim();
                        if (value.isEmpty() || c.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
                            cookies.remove(key);
                        } else {
                            cookies.put(key, value);
                        }
                    }
                }
            });
        }
    }
}
