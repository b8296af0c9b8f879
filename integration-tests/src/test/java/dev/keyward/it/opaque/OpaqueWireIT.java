package dev.keyward.it.opaque;

import static dev.keyward.it.harness.OpaqueWire.b64;
import static dev.keyward.it.harness.OpaqueWire.unb64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.Forms;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import dev.keyward.it.harness.OpaqueRealm;
import dev.keyward.it.harness.OpaqueWire;
import dev.keyward.it.harness.TestSecrets;
import dev.keyward.it.harness.WireClient;
import dev.keyward.opaque.AuthenticationException;
import dev.keyward.opaque.Identities;
import dev.keyward.opaque.KE2;
import dev.keyward.opaque.Ksf;
import dev.keyward.opaque.OpaqueClient;
import dev.keyward.opaque.OpaqueConfiguration;
import dev.keyward.opaque.OpaqueSuite;
import dev.keyward.opaque.RegistrationResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
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
@KeywardTest
class OpaqueWireIT {
    private static final String REALM = "opaque-wire-it";
    /** Second realm: the OPAQUE form with legacy migration on. */
    private static final String MIGRATION_REALM = "opaque-wire-migration-it";

    private static final String INVALID = "Invalid username or password.";
    private static final String CLIENT = "wire-client";
    private static final String REDIRECT = "http://localhost:9/callback";
    private static final String PASSWORD = "opaque-password-1";
    private static final OpaqueSuite SUITE = OpaqueSuite.RISTRETTO255_SHA512;
    private static final OpaqueConfiguration CONFIG = new OpaqueConfiguration(SUITE, new byte[0], Ksf.IDENTITY);
    private static final ObjectMapper JSON = new ObjectMapper();

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static String userId;
    private static String bobId;
    private static String carlId;
    private static String migrationConfigId;

    @BeforeAll
    static void realm() {
        OpaqueRealm.create(
                admin,
                REALM,
                Map.of(
                        "bruteForceProtected",
                        true,
                        "failureFactor",
                        3,
                        "loginWithEmailAllowed",
                        true,
                        "eventsEnabled",
                        true,
                        "passwordPolicy",
                        "length(10) and notUsername"));
        admin.send(
                "POST",
                "/admin/realms/" + REALM + "/clients",
                Map.of(
                        "clientId",
                        CLIENT,
                        "publicClient",
                        true,
                        "standardFlowEnabled",
                        true,
                        "redirectUris",
                        List.of(REDIRECT)));
        userId = OpaqueRealm.createLegacyUser(admin, REALM, "alice", "alice@example.com", "legacy-password-1");

        OpaqueRealm.create(
                admin, MIGRATION_REALM, Map.of("bruteForceProtected", true, "failureFactor", 3, "eventsEnabled", true));
        admin.send(
                "POST",
                "/admin/realms/" + MIGRATION_REALM + "/clients",
                Map.of(
                        "clientId",
                        CLIENT,
                        "publicClient",
                        true,
                        "standardFlowEnabled",
                        true,
                        "redirectUris",
                        List.of(REDIRECT)));
        // plain Keycloak-password users, no required action: only the login form migrates them
        bobId = admin.createUser(MIGRATION_REALM, "bob", "bob@example.com", "legacy-bob-1");
        carlId = admin.createUser(MIGRATION_REALM, "carl", "carl@example.com", "legacy-carl-1");
        migrationConfigId = OpaqueRealm.useOpaqueBrowserFlowWithMigration(admin, MIGRATION_REALM);
    }

    @Test
    @Order(1)
    void legacyUserRegistersThroughTheRequiredAction() throws Exception {
        WireClient b = new WireClient(keycloak);
        HttpResponse<String> login = b.get(authUrl());
        HttpResponse<String> page =
                b.post(Forms.action(login.body()), Map.of("username", "alice", "password", "legacy-password-1"));
        assertEquals(200, page.statusCode());
        String html = page.body();
        assertTrue(html.contains("data-keyward-opaque=\"register\""));
        assertTrue(html.contains("data-suite=\"ristretto255-SHA512\""));
        assertTrue(html.contains("data-min-length=\"10\"") && html.contains("data-not-username=\"true\""));
        assertFalse(Pattern.compile("<input[^>]*id=\"password-new\"[^>]*name=")
                .matcher(html)
                .find());

        OpaqueClient client = new OpaqueClient(CONFIG);
        OpaqueClient.RegistrationStart start = client.startRegistration(PASSWORD.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> step1 = b.post(
                Forms.action(html),
                Map.of(
                        "opaque_step",
                        "registration-request",
                        "request",
                        b64(start.request().toBytes())));
        assertEquals(200, step1.statusCode());
        assertTrue(step1.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
        JsonNode json = JSON.readTree(step1.body());
        assertEquals(2, json.size());
        byte[] record = client.finishRegistration(
                        start.state(),
                        RegistrationResponse.fromBytes(
                                SUITE, unb64(json.get("response").asText())),
                        Identities.NONE)
                .record()
                .toBytes();
        HttpResponse<String> step2 = b.post(
                json.get("action").asText(), Map.of("opaque_step", "registration-record", "record", b64(record)));
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
        WireClient b = new WireClient(keycloak);
        Attempt a = attempt(b, "alice", PASSWORD);
        assertTrue(a.pageHtml.contains("data-keyward-opaque=\"login\"") && a.pageHtml.contains("name=\"ke3\""));
        assertFalse(Pattern.compile("<input[^>]*id=\"password\"[^>]*name=")
                .matcher(a.pageHtml)
                .find());
        assertTrue(a.pageHtml.contains("<noscript>"));
        assertTrue(a.clientAccepted, "server authenticated to the client");
        assertEquals(302, a.result.statusCode());
        String location = a.result.headers().firstValue("Location").orElseThrow();
        Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
        assertTrue(code.find(), location);
        HttpResponse<String> tokens = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(keycloak.realmUri(REALM) + "/protocol/openid-connect/token"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(Forms.encode(Map.of(
                                        "grant_type",
                                        "authorization_code",
                                        "client_id",
                                        CLIENT,
                                        "code",
                                        code.group(1),
                                        "redirect_uri",
                                        REDIRECT))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, tokens.statusCode(), tokens.body());
        assertNotNull(JSON.readTree(tokens.body()).get("access_token"));
        assertEquals(
                302,
                attempt(new WireClient(keycloak), "alice@example.com", PASSWORD)
                        .result
                        .statusCode(),
                "email login");
    }

    @Test
    @Order(3)
    void wrongPasswordAndUnknownUserLookTheSame() throws Exception {
        Attempt wrong = attempt(new WireClient(keycloak), "alice", "not-the-password");
        Attempt unknown = attempt(new WireClient(keycloak), "nobody-" + System.nanoTime(), "whatever-it-is");
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
        WireClient b = new WireClient(keycloak);
        Attempt ok = attempt(b, "nobody-replay", "x");
        // the same KE3 again, to a fresh action URL of the same session: the state is gone
        HttpResponse<String> replay =
                b.post(Forms.action(ok.result.body()), Map.of("opaque_step", "ke3", "ke3", ok.ke3));
        assertEquals(200, replay.statusCode());
        assertTrue(replay.body().contains("Invalid username or password."));
        // and to its own (consumed) action URL from another session: no login
        HttpResponse<String> other =
                new WireClient(keycloak).post(ok.action, Map.of("opaque_step", "ke3", "ke3", ok.ke3));
        assertFalse(other.statusCode() == 302
                && other.headers().firstValue("Location").orElse("").startsWith(REDIRECT));
        assertTrue(other.statusCode() < 500);
    }

    @Test
    @Order(5)
    void malformedInputIs400NotAStackTrace() throws Exception {
        WireClient b1 = new WireClient(keycloak);
        HttpResponse<String> bad1 = b1.post(
                Forms.action(b1.get(authUrl()).body()),
                Map.of("opaque_step", "ke1", "username", "alice", "ke1", "AAAA"));
        assertEquals(400, bad1.statusCode());
        assertEquals("{\"error\":\"invalid_request\"}", bad1.body());

        WireClient b2 = new WireClient(keycloak);
        HttpResponse<String> identity = b2.post(
                Forms.action(b2.get(authUrl()).body()),
                Map.of("opaque_step", "ke1", "username", "alice", "ke1", b64(new byte[SUITE.ke1Length()])));
        assertEquals(400, identity.statusCode());

        WireClient b3 = new WireClient(keycloak);
        HttpResponse<String> noStep = b3.post(Forms.action(b3.get(authUrl()).body()), Map.of("username", "alice"));
        assertEquals(400, noStep.statusCode());
        // a form posted without the page script (blocked, not yet loaded) is told so
        assertTrue(
                noStep.body().contains("did not run on this page"),
                () -> noStep.body().substring(0, Math.min(2000, noStep.body().length())));
        WireClient b3b = new WireClient(keycloak);
        HttpResponse<String> unknownStep =
                b3b.post(Forms.action(b3b.get(authUrl()).body()), Map.of("opaque_step", "ke9", "username", "alice"));
        assertEquals(400, unknownStep.statusCode());
        assertTrue(unknownStep.body().contains("The request could not be processed"));

        admin.send("DELETE", "/admin/realms/" + REALM + "/attack-detection/brute-force/users/" + userId, null);
        WireClient b4 = new WireClient(keycloak);
        OpaqueClient client = new OpaqueClient(CONFIG);
        HttpResponse<String> ke2 = b4.post(
                Forms.action(b4.get(authUrl()).body()),
                Map.of(
                        "opaque_step",
                        "ke1",
                        "username",
                        "alice",
                        "ke1",
                        b64(client.startLogin(new byte[] {1}).ke1().toBytes())));
        HttpResponse<String> badKe3 =
                b4.post(JSON.readTree(ke2.body()).get("action").asText(), Map.of("opaque_step", "ke3", "ke3", "short"));
        assertEquals(400, badKe3.statusCode());
        assertFalse(badKe3.body().contains("Exception"));
        // the client had a real KE2, so it could test its guess: a malformed KE3 must not settle it for free
        assertEquals(1, awaitFailures(1).get("numFailures").asInt(), "a malformed KE3 after a real KE2");
        admin.send("DELETE", "/admin/realms/" + REALM + "/attack-detection/brute-force/users/" + userId, null);
    }

    @Test
    @Order(6)
    void threeWrongPasswordsLockTheAccountAndSuccessClearsTheCount() throws Exception {
        admin.send("DELETE", "/admin/realms/" + REALM + "/attack-detection/brute-force/users/" + userId, null);
        for (int i = 0; i < 3; i++) {
            Thread.sleep(1100); // slower than Keycloak's quick-login check (1 s)
            attempt(new WireClient(keycloak), "alice", "wrong-" + i);
        }
        JsonNode status = awaitFailures(3);
        assertTrue(status.get("disabled").asBoolean(), status.toString());
        Attempt locked = attempt(new WireClient(keycloak), "alice", PASSWORD);
        assertFalse(locked.clientAccepted, "a locked account gets a fake KE2: no password oracle");
        assertTrue(locked.result.body().contains("Invalid username or password."));

        admin.send("DELETE", "/admin/realms/" + REALM + "/attack-detection/brute-force/users/" + userId, null);
        Thread.sleep(1100);
        assertEquals(
                302, attempt(new WireClient(keycloak), "alice", PASSWORD).result.statusCode());
        assertEquals(0, awaitFailures(0).get("numFailures").asInt());
    }

    /**
     * Guesses whose client never sends KE3: at most three are open at once (a fourth KE1 gets a
     * fake KE2, even with the right password), and each counts as a failure once the KE3 deadline
     * (10 s on the test server) has passed and the user's next KE1 finds it. Good logins count nothing.
     */
    @Test
    @Order(6)
    void abandonedGuessesAreCountedAndAtMostThreeAreOpen() throws Exception {
        admin.send("DELETE", "/admin/realms/" + REALM + "/attack-detection/brute-force/users/" + userId, null);
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    302,
                    attempt(new WireClient(keycloak), "alice", PASSWORD).result.statusCode());
        }
        Thread.sleep(1000);
        assertEquals(0, awaitFailures(0).get("numFailures").asInt(), "good logins counted as failures");

        for (int i = 0; i < 3; i++) {
            ke1Only(new WireClient(keycloak), "alice", "abandoned-" + i);
        }
        assertFalse(ke1Only(new WireClient(keycloak), "alice", PASSWORD), "a fourth open guess got a real KE2");
        Thread.sleep(1000); // the protector records asynchronously: give a wrongly reported failure time to show
        assertEquals(0, awaitFailures(0).get("numFailures").asInt(), "counted before the deadline");

        Thread.sleep(11_000);
        ke1Only(new WireClient(keycloak), "alice", "after-the-deadline");
        // applied one after the other in that KE1's transaction: exactly three, and the lock with them
        JsonNode status = awaitFailures(3);
        assertEquals(3, status.get("numFailures").asInt(), "the three abandoned guesses: " + status);
        assertTrue(status.get("disabled").asBoolean(), "three failures lock this realm's accounts: " + status);
        admin.send("DELETE", "/admin/realms/" + REALM + "/attack-detection/brute-force/users/" + userId, null);
    }

    /**
     * An attacker who sends one KE1 again and again watches its evaluated element: it changes when
     * an account's open guesses run out (the fourth KE1) and when the account locks. A name with no
     * account must change at the same points, or the change tells the two apart.
     */
    @Test
    @Order(6)
    void anUnknownNameMeetsTheLimitsOfAnAccount() throws Exception {
        String account = "dora-" + System.nanoTime();
        String doraId = admin.createUser(REALM, account, account + "@example.com", "legacy-dora-1");
        List<String> names = List.of(account, "nobody-" + System.nanoTime());
        byte[] ke1 = new OpaqueClient(CONFIG)
                .startLogin("any guess".getBytes(StandardCharsets.UTF_8))
                .ke1()
                .toBytes();
        Map<String, List<String>> seen = new java.util.HashMap<>();
        for (int i = 0; i < 4; i++) {
            for (String name : names) {
                seen.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(evaluation(name, ke1));
            }
        }
        for (String name : names) {
            List<String> e = seen.get(name);
            assertEquals(e.get(0), e.get(1), name);
            assertEquals(e.get(0), e.get(2), name);
            assertNotEquals(e.get(0), e.get(3), name + ": the fourth open guess was answered as the first three");
        }
        // past the KE3 deadline the three open guesses count: three failures lock this realm's accounts
        Thread.sleep(11_000);
        for (String name : names) {
            evaluation(name, ke1);
        }
        // the protector records asynchronously, and on a busy machine takes seconds
        boolean doraLocked = false;
        for (int i = 0; i < 300 && !doraLocked; i++) {
            Thread.sleep(100);
            doraLocked = admin.get("/admin/realms/" + REALM + "/attack-detection/brute-force/users/" + doraId)
                    .path("disabled")
                    .asBoolean();
        }
        assertTrue(doraLocked, "three abandoned guesses did not lock the account");
        for (String name : names) {
            List<String> e = seen.get(name);
            String locked = evaluation(name, ke1);
            assertNotEquals(e.get(0), locked, name + ": a locked name was answered as before");
            assertEquals(e.get(3), locked, name + ": a lock and a full ledger answer alike");
        }
    }

    /** The evaluated element of the KE2 that answers {@code ke1} for {@code username}. */
    private static String evaluation(String username, byte[] ke1) throws Exception {
        WireClient b = new WireClient(keycloak);
        HttpResponse<String> page = b.get(authUrl(REALM));
        HttpResponse<String> step1 =
                b.post(Forms.action(page.body()), Map.of("opaque_step", "ke1", "username", username, "ke1", b64(ke1)));
        assertEquals(200, step1.statusCode(), step1.body());
        byte[] ke2 = unb64(JSON.readTree(step1.body()).get("ke2").asText());
        return b64(java.util.Arrays.copyOf(ke2, SUITE.elementLength()));
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

    @Test
    @Order(8)
    void withoutMigrationTheLegacyStepsAreRefused() throws Exception {
        WireClient b = new WireClient(keycloak);
        JsonNode ke1 = ke1(b, REALM, "alice");
        assertTrue(ke1.has("ke2") && !ke1.has("legacy"), ke1.toString());
        HttpResponse<String> legacy = b.post(
                ke1.get("action").asText(),
                Map.of(
                        "opaque_step",
                        "legacy",
                        "password",
                        PASSWORD,
                        "request",
                        b64(new OpaqueClient(CONFIG)
                                .startRegistration(new byte[] {1})
                                .request()
                                .toBytes())));
        assertEquals(400, legacy.statusCode());
        assertEquals("{\"error\":\"invalid_request\"}", legacy.body());
        WireClient c = new WireClient(keycloak);
        HttpResponse<String> record = c.post(
                Forms.action(c.get(authUrl(REALM)).body()),
                Map.of("opaque_step", "legacy-record", "record", b64(new byte[SUITE.registrationRecordLength()])));
        assertEquals(400, record.statusCode());
        assertTrue(record.body().contains("The request could not be processed"));
    }

    // ---- legacy migration (MIGRATION_REALM) -------------------------------------------------

    @Test
    @Order(9)
    void legacyUserGetsTheLegacyAnswer() throws Exception {
        WireClient b = new WireClient(keycloak);
        HttpResponse<String> page = b.get(authUrl(MIGRATION_REALM));
        HttpResponse<String> step1 = b.post(
                Forms.action(page.body()),
                Map.of(
                        "opaque_step",
                        "ke1",
                        "username",
                        "bob",
                        "ke1",
                        b64(new OpaqueClient(CONFIG)
                                .startLogin(new byte[] {1})
                                .ke1()
                                .toBytes())));
        assertEquals(200, step1.statusCode());
        assertTrue(step1.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
        JsonNode json = JSON.readTree(step1.body());
        assertEquals(List.of("legacy", "action"), fieldNames(json));
        assertTrue(json.get("legacy").isBoolean() && json.get("legacy").asBoolean());
        assertTrue(json.get("action")
                .asText()
                .startsWith(keycloak.realmUri(MIGRATION_REALM).toString()));
        assertEquals(0, failures(MIGRATION_REALM, bobId), "a legacy answer counts nothing");
    }

    @Test
    @Order(10)
    void unknownNamesGetAStableCoinOfBothKinds() throws Exception {
        String prefix = "ghost-" + System.nanoTime() + "-";
        int legacy = 0;
        int ke2 = 0;
        for (int i = 0; i < 20; i++) {
            JsonNode first = ke1(new WireClient(keycloak), MIGRATION_REALM, prefix + i);
            JsonNode again =
                    ke1(new WireClient(keycloak), MIGRATION_REALM, (prefix + i).toUpperCase(java.util.Locale.ROOT));
            assertEquals(fieldNames(first), fieldNames(again), "same name, same kind of answer");
            if (first.has("legacy")) {
                assertEquals(List.of("legacy", "action"), fieldNames(first));
                legacy++;
            } else {
                assertEquals(List.of("ke2", "action", "rekey"), fieldNames(first));
                assertEquals(
                        b64(new byte[SUITE.ke2Length()]).length(),
                        first.get("ke2").asText().length());
                ke2++;
            }
        }
        assertTrue(legacy > 0 && ke2 > 0, "legacy " + legacy + ", ke2 " + ke2);
    }

    @Test
    @Order(11)
    void wrongLegacyPasswordAndUnknownNameFailAlikeAndCountOnce() throws Exception {
        JsonNode wrong = legacyStep(new WireClient(keycloak), "bob", "not-bobs-password");
        String ghost = legacyCoinName();
        JsonNode unknown = legacyStep(new WireClient(keycloak), ghost, "whatever-it-is");
        for (JsonNode answer : List.of(wrong, unknown)) {
            assertEquals(List.of("error", "message", "action"), fieldNames(answer));
            assertEquals("invalid_grant", answer.get("error").asText());
            assertEquals(INVALID, answer.get("message").asText());
        }
        assertEquals(1, awaitFailures(MIGRATION_REALM, bobId, 1), "one wrong legacy password, one failure");
        assertEquals(List.of("password"), credentialTypes(MIGRATION_REALM, bobId), "nothing migrated");
        JsonNode events = admin.get("/admin/realms/" + MIGRATION_REALM + "/events?type=LOGIN_ERROR&max=50");
        assertTrue(events.toString().contains("\"error\":\"invalid_user_credentials\""), events.toString());
        assertTrue(events.toString().contains("\"error\":\"user_not_found\""), events.toString());
        assertFalse(events.toString().contains("not-bobs-password"));
        admin.send("DELETE", "/admin/realms/" + MIGRATION_REALM + "/attack-detection/brute-force/users/" + bobId, null);
    }

    @Test
    @Order(12)
    void malformedLegacyStepsAre400JsonAndCountNothing() throws Exception {
        String request = b64(new OpaqueClient(CONFIG)
                .startRegistration(new byte[] {1})
                .request()
                .toBytes());
        List<Map<String, String>> bad = List.of(
                Map.of("opaque_step", "legacy", "password", "legacy-bob-1"),
                Map.of("opaque_step", "legacy", "password", "legacy-bob-1", "request", "AAAA"),
                Map.of("opaque_step", "legacy", "password", "legacy-bob-1", "request", request + "="),
                Map.of("opaque_step", "legacy", "password", "", "request", request),
                Map.of("opaque_step", "legacy", "request", request),
                Map.of("opaque_step", "legacy", "password", "x".repeat(1025), "request", request));
        for (Map<String, String> fields : bad) {
            WireClient b = new WireClient(keycloak);
            JsonNode ke1 = ke1(b, MIGRATION_REALM, "bob");
            HttpResponse<String> answer = b.post(ke1.get("action").asText(), fields);
            assertEquals(400, answer.statusCode(), fields.keySet().toString());
            assertEquals("{\"error\":\"invalid_request\"}", answer.body());
        }
        // a legacy step without a legacy KE1 answer before it: refused, whatever the password
        String ke2Name = ke2CoinName();
        WireClient b = new WireClient(keycloak);
        JsonNode ke1 = ke1(b, MIGRATION_REALM, ke2Name);
        HttpResponse<String> noLegacyKe1 = b.post(
                ke1.get("action").asText(),
                Map.of("opaque_step", "legacy", "password", "legacy-bob-1", "request", request));
        assertEquals(400, noLegacyKe1.statusCode());
        assertEquals("{\"error\":\"invalid_request\"}", noLegacyKe1.body());
        // a record without a passed legacy check in this session: nothing stored
        WireClient c = new WireClient(keycloak);
        JsonNode legacyKe1 = ke1(c, MIGRATION_REALM, "bob");
        HttpResponse<String> record = c.post(
                legacyKe1.get("action").asText(), Map.of("opaque_step", "legacy-record", "record", b64(validRecord())));
        assertEquals(400, record.statusCode());
        assertTrue(record.body().contains("The request could not be processed"));
        assertFalse(record.body().contains("Exception"));
        assertEquals(List.of("password"), credentialTypes(MIGRATION_REALM, bobId));
        assertEquals(0, failures(MIGRATION_REALM, bobId), "malformed steps count nothing");
    }

    @Test
    @Order(13)
    void legacyPasswordOnceThenOpaqueOverTheWire() throws Exception {
        WireClient b = new WireClient(keycloak);
        JsonNode ke1 = ke1(b, MIGRATION_REALM, "bob");
        OpaqueClient client = new OpaqueClient(CONFIG);
        OpaqueClient.RegistrationStart start = client.startRegistration(PASSWORD.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> legacy = b.post(
                ke1.get("action").asText(),
                Map.of(
                        "opaque_step",
                        "legacy",
                        "password",
                        "legacy-bob-1",
                        "request",
                        b64(start.request().toBytes())));
        assertEquals(200, legacy.statusCode(), legacy.body());
        JsonNode json = JSON.readTree(legacy.body());
        assertEquals(List.of("response", "action"), fieldNames(json));
        byte[] record = client.finishRegistration(
                        start.state(),
                        RegistrationResponse.fromBytes(
                                SUITE, unb64(json.get("response").asText())),
                        Identities.NONE)
                .record()
                .toBytes();
        HttpResponse<String> done =
                b.post(json.get("action").asText(), Map.of("opaque_step", "legacy-record", "record", b64(record)));
        assertEquals(302, done.statusCode(), done.body());
        assertTrue(done.headers().firstValue("Location").orElseThrow().startsWith(REDIRECT + "?"));
        assertTrue(done.headers().firstValue("Location").orElseThrow().contains("code="));
        assertEquals(List.of("keyward-opaque"), credentialTypes(MIGRATION_REALM, bobId));

        // from now on: KE2, and the OPAQUE password works
        assertTrue(ke1(new WireClient(keycloak), MIGRATION_REALM, "bob").has("ke2"));
        Attempt opaque = attempt(new WireClient(keycloak), MIGRATION_REALM, "bob", PASSWORD);
        assertTrue(opaque.clientAccepted);
        assertEquals(302, opaque.result.statusCode());
    }

    @Test
    @Order(14)
    void lockedLegacyUserGetsTheSameAnswersAndIsNotMigrated() throws Exception {
        for (int i = 0; i < 3; i++) {
            Thread.sleep(1100); // slower than Keycloak's quick-login check (1 s)
            legacyStep(new WireClient(keycloak), "carl", "wrong-" + i);
        }
        assertEquals(3, awaitFailures(MIGRATION_REALM, carlId, 3));
        JsonNode status =
                admin.get("/admin/realms/" + MIGRATION_REALM + "/attack-detection/brute-force/users/" + carlId);
        assertTrue(status.get("disabled").asBoolean(), status.toString());
        JsonNode locked = legacyStep(new WireClient(keycloak), "carl", "legacy-carl-1");
        assertEquals(List.of("error", "message", "action"), fieldNames(locked));
        assertEquals(INVALID, locked.get("message").asText());
        assertEquals(List.of("password"), credentialTypes(MIGRATION_REALM, carlId));
        admin.send(
                "DELETE", "/admin/realms/" + MIGRATION_REALM + "/attack-detection/brute-force/users/" + carlId, null);
    }

    /**
     * Issue 17, item 8: a migration always ends. With its end date yesterday, or with none, the
     * unmigrated user carl gets KE2 (a fake one: he has no OPAQUE record), never the legacy answer;
     * with the end date today he gets the legacy answer again.
     */
    @Test
    @Order(15)
    void migrationEndsOnItsEndDateAndNeedsOne() throws Exception {
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        try {
            for (Map<String, String> config : List.of(
                    Map.of(
                            "legacyMigration",
                            "true",
                            "legacyMigrationUntil",
                            today.minusDays(1).toString()),
                    Map.of("legacyMigration", "true"))) {
                admin.send(
                        "PUT",
                        "/admin/realms/" + MIGRATION_REALM + "/authentication/config/" + migrationConfigId,
                        Map.of("id", migrationConfigId, "alias", "keyward-opaque-login", "config", config));
                JsonNode answer = ke1(new WireClient(keycloak), MIGRATION_REALM, "carl");
                assertEquals(List.of("ke2", "action", "rekey"), fieldNames(answer), config.toString());
            }
            admin.send(
                    "PUT",
                    "/admin/realms/" + MIGRATION_REALM + "/authentication/config/" + migrationConfigId,
                    Map.of(
                            "id",
                            migrationConfigId,
                            "alias",
                            "keyward-opaque-login",
                            "config",
                            Map.of("legacyMigration", "true", "legacyMigrationUntil", today.toString())));
            assertEquals(
                    List.of("legacy", "action"), fieldNames(ke1(new WireClient(keycloak), MIGRATION_REALM, "carl")));
        } finally {
            OpaqueRealm.setLegacyMigration(admin, MIGRATION_REALM, migrationConfigId, true);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** A fresh login page of {@code realm}, then KE1 for {@code username}: the JSON answer. */
    private static JsonNode ke1(WireClient b, String realm, String username) throws Exception {
        HttpResponse<String> page = b.get(authUrl(realm));
        HttpResponse<String> step1 = b.post(
                Forms.action(page.body()),
                Map.of(
                        "opaque_step",
                        "ke1",
                        "username",
                        username,
                        "ke1",
                        b64(new OpaqueClient(CONFIG)
                                .startLogin(new byte[] {1})
                                .ke1()
                                .toBytes())));
        assertEquals(200, step1.statusCode(), step1.body());
        return JSON.readTree(step1.body());
    }

    /** KE1 that must be answered with legacy, then the legacy step with {@code password}: its JSON answer. */
    private static JsonNode legacyStep(WireClient b, String username, String password) throws Exception {
        JsonNode ke1 = ke1(b, MIGRATION_REALM, username);
        assertTrue(ke1.has("legacy"), ke1.toString());
        HttpResponse<String> answer = b.post(
                ke1.get("action").asText(),
                Map.of(
                        "opaque_step",
                        "legacy",
                        "password",
                        password,
                        "request",
                        b64(new OpaqueClient(CONFIG)
                                .startRegistration(new byte[] {1})
                                .request()
                                .toBytes())));
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return JSON.readTree(answer.body());
    }

    private static String legacyCoinName() throws Exception {
        return coinName(true);
    }

    private static String ke2CoinName() throws Exception {
        return coinName(false);
    }

    /** An unknown name whose keyed coin says legacy (or KE2). */
    private static String coinName(boolean legacy) throws Exception {
        for (int i = 0; i < 64; i++) {
            String name = "nobody-" + System.nanoTime();
            if (ke1(new WireClient(keycloak), MIGRATION_REALM, name).has("legacy") == legacy) {
                return name;
            }
        }
        throw new AssertionError("no unknown name with legacy=" + legacy + " in 64 tries");
    }

    private static byte[] validRecord() throws Exception {
        OpaqueClient client = new OpaqueClient(CONFIG);
        OpaqueClient.RegistrationStart start = client.startRegistration(new byte[] {1});
        // any server's response makes a well-formed record; this one is never accepted
        dev.keyward.opaque.OpaqueServer server = new dev.keyward.opaque.OpaqueServer(
                CONFIG, dev.keyward.opaque.ServerSetup.generate(SUITE, new SecureRandom()));
        return client.finishRegistration(
                        start.state(),
                        server.createRegistrationResponse(start.request(), new byte[] {2}),
                        Identities.NONE)
                .record()
                .toBytes();
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> credentialTypes(String realm, String id) {
        List<String> types = new java.util.ArrayList<>();
        admin.get("/admin/realms/" + realm + "/users/" + id + "/credentials")
                .forEach(c -> types.add(c.get("type").asText()));
        return types;
    }

    private static int failures(String realm, String id) {
        return admin.get("/admin/realms/" + realm + "/attack-detection/brute-force/users/" + id)
                .get("numFailures")
                .asInt();
    }

    private static int awaitFailures(String realm, String id, int expected) throws InterruptedException {
        int n = -1;
        for (int i = 0; i < 50; i++) { // the brute-force protector records asynchronously
            n = failures(realm, id);
            if (n == expected) {
                return n;
            }
            Thread.sleep(100);
        }
        return n;
    }

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

    private record Attempt(
            String pageHtml,
            String ke2,
            String action,
            String ke3,
            boolean clientAccepted,
            HttpResponse<String> result) {}

    private static Attempt attempt(WireClient b, String username, String password) throws Exception {
        return attempt(b, REALM, username, password);
    }

    /** The login page, then KE1 for {@code password}; the client's state and the KE2 answer. */
    private record Started(
            HttpResponse<String> page, OpaqueClient client, OpaqueClient.LoginStart start, JsonNode answer) {}

    private static Started ke1(WireClient b, String realm, String username, String password) throws Exception {
        TestSecrets.record(TestSecrets.Kind.PASSWORD, password);
        HttpResponse<String> page = b.get(authUrl(realm));
        OpaqueClient client = new OpaqueClient(CONFIG);
        OpaqueClient.LoginStart start = client.startLogin(password.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> step1 = b.post(
                Forms.action(page.body()),
                OpaqueWire.ke1Form(username, start.ke1().toBytes()));
        assertEquals(200, step1.statusCode(), step1.body());
        assertTrue(step1.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
        return new Started(page, client, start, JSON.readTree(step1.body()));
    }

    private static Attempt attempt(WireClient b, String realm, String username, String password) throws Exception {
        Started started = ke1(b, realm, username, password);
        HttpResponse<String> page = started.page();
        OpaqueClient client = started.client();
        OpaqueClient.LoginStart start = started.start();
        JsonNode json = started.answer();
        String ke2 = json.get("ke2").asText();
        byte[] ke3;
        boolean accepted;
        try {
            ke3 = client.finishLogin(start.state(), KE2.fromBytes(SUITE, unb64(ke2)), Identities.NONE)
                    .ke3()
                    .toBytes();
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

    /** KE1 and KE2 only, as an attacker testing a guess offline would; true if the KE2 was real for this password. */
    private static boolean ke1Only(WireClient b, String username, String password) throws Exception {
        Started started = ke1(b, REALM, username, password);
        try {
            started.client()
                    .finishLogin(
                            started.start().state(),
                            KE2.fromBytes(
                                    SUITE, unb64(started.answer().get("ke2").asText())),
                            Identities.NONE);
            return true;
        } catch (AuthenticationException e) {
            return false;
        }
    }

    private static String authUrl() {
        return authUrl(REALM);
    }

    private static String authUrl(String realm) {
        return keycloak.realmUri(realm) + "/protocol/openid-connect/auth?client_id=" + CLIENT
                + "&response_type=code&scope=openid&state=s&redirect_uri="
                + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8);
    }
}
