package dev.keyward.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.LoginBenchRealms;
import dev.keyward.it.harness.LoginDriver;
import dev.keyward.it.harness.LoginVariant;
import dev.keyward.it.harness.Mailbox;
import dev.keyward.it.harness.OpaqueRealm;
import dev.keyward.it.harness.PlainBrowser;
import dev.keyward.it.harness.RecordingUpstream;
import dev.keyward.it.harness.VaultApi;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The pack on a two-node cluster ({@link ClusterNodes}): one login's requests on different nodes,
 * an email code sent through one node and typed on the other, send limits and brute-force
 * accounting that hold across nodes, SMTP going down and coming back, and node A killed in the
 * middle of logins and of vault writes. Runs in the {@code ops} profile (PostgreSQL).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MAIL_REALM = "cluster-mail";
    private static final String MAIL_FLOW = "cluster-email-first";
    private static final Duration MAIL_WAIT = Duration.ofSeconds(20);

    private static ClusterNodes cluster;
    private static LoginBenchRealms realms;
    private static GreenMail smtp;
    private static int smtpPort;
    private static String mailConfigId;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = ClusterNodes.get();
        AdminApi admin = cluster.admin();
        // users register their OPAQUE passwords through node B, the realm was made through node A
        realms = LoginBenchRealms.create(
                admin,
                "cluster",
                8,
                2,
                EnumSet.of(LoginVariant.OPAQUE),
                () -> new LoginDriver(cluster.publicBase(), step -> cluster.node(1)));

        smtpPort = KeycloakServer.freePort();
        smtp = startSmtp();
        Map<String, Object> settings = new HashMap<>(LoginBenchRealms.BRUTE_FORCE);
        // as EmailCodeLoginIT: this client types wrong codes faster than a person; the code's own limit is under test
        settings.put("quickLoginCheckMilliSeconds", 1);
        settings.put("failureFactor", 10);
        settings.put(
                "smtpServer",
                Map.of(
                        "host",
                        "127.0.0.1",
                        "port",
                        Integer.toString(smtpPort),
                        "from",
                        "keyward@example.test",
                        "fromDisplayName",
                        "Keyward"));
        OpaqueRealm.create(admin, MAIL_REALM, settings);
        admin.createPublicPkceClient(MAIL_REALM, LoginDriver.CLIENT_ID, List.of(LoginDriver.REDIRECT_URI));
        String execution = admin.createRequiredFlow(MAIL_REALM, MAIL_FLOW, List.of("keyward-email-code"))
                .get("keyward-email-code");
        mailConfigId = admin.configureExecution(MAIL_REALM, execution, MAIL_FLOW + "-code", mailSettings(0, 20));
        admin.updateRealm(MAIL_REALM, Map.of("browserFlow", MAIL_FLOW));
    }

    @AfterAll
    static void stopSmtp() {
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    @Order(1)
    void bothNodesSeeAClusterOfTwo() {
        assertTrue(ClusterNodes.viewOfTwo(cluster.a()), "node A's last cluster view");
        assertTrue(ClusterNodes.viewOfTwo(cluster.b()), "node B's last cluster view");
    }

    /** KE1 answered by one node, KE3 checked by the other: the login state travels in the cluster's stores. */
    @Test
    @Order(2)
    void opaqueLoginWithKe1OnOneNodeAndKe3OnTheOther() throws Exception {
        String realm = realms.realm(LoginVariant.OPAQUE);
        loginSplitAt(
                realm,
                0,
                Map.of(
                        LoginDriver.Step.PAGE,
                        0,
                        LoginDriver.Step.KE1,
                        0,
                        LoginDriver.Step.KE3,
                        1,
                        LoginDriver.Step.TOKEN,
                        1));
        loginSplitAt(
                realm,
                1,
                Map.of(
                        LoginDriver.Step.PAGE,
                        1,
                        LoginDriver.Step.KE1,
                        1,
                        LoginDriver.Step.KE3,
                        0,
                        LoginDriver.Step.TOKEN,
                        0));
        // every request on the other node than the one before
        loginSplitAt(
                realm,
                2,
                Map.of(
                        LoginDriver.Step.PAGE,
                        0,
                        LoginDriver.Step.KE1,
                        1,
                        LoginDriver.Step.KE3,
                        0,
                        LoginDriver.Step.TOKEN,
                        1));
    }

    /** A wrong password on node A and one on node B are two failures of the same user, wherever asked. */
    @Test
    @Order(3)
    void bruteForceFailuresAddUpAcrossNodes() throws Exception {
        String realm = realms.realm(LoginVariant.OPAQUE);
        String user = LoginBenchRealms.username(3);
        for (int node = 0; node < 2; node++) {
            int n = node;
            assertThrows(
                    LoginDriver.LoginFailure.class,
                    () -> new LoginDriver(cluster.publicBase(), step -> cluster.node(n))
                            .login(LoginVariant.OPAQUE, realm, user, "not-the-password"));
        }
        for (int node = 0; node < 2; node++) {
            JsonNode status = new AdminApi(node == 0 ? cluster.a() : cluster.b())
                    .get("/admin/realms/" + realm + "/attack-detection/brute-force/users/" + userId(realm, user));
            assertEquals(2, status.path("numFailures").asInt(), "node " + node + ": " + status);
        }
    }

    /** The code mailed through node A signs in on node B. */
    @Test
    @Order(4)
    void emailCodeSentThroughOneNodeIsAcceptedByTheOther() throws Exception {
        String email = newMailUser("ann");
        EmailCodeLogin login = new EmailCodeLogin(email);
        assertTrue(login.identify(0).contains("we sent a code to its email address"));
        String code = Mailbox.emailCode(awaitMail(email, 1));
        login.verifyAndFinish(code, 1);
    }

    /** The resend cooldown and the hourly cap count sends through both nodes; so does the wrong-code limit. */
    @Test
    @Order(5)
    void sendLimitsAndWrongCodeLimitHoldAcrossNodes() throws Exception {
        AdminApi admin = cluster.admin();
        admin.updateExecutionConfig(MAIL_REALM, mailConfigId, MAIL_FLOW + "-code", mailSettings(300, 3));
        String email = newMailUser("bob");
        EmailCodeLogin login = new EmailCodeLogin(email);
        login.identify(0);
        awaitMail(email, 1);
        assertTrue(login.resend(1).contains("A code was sent less than 300 seconds ago"), "cooldown on node B");
        assertNoMoreMail(email, 1);

        admin.updateExecutionConfig(MAIL_REALM, mailConfigId, MAIL_FLOW + "-code", mailSettings(0, 3));
        assertTrue(login.resend(1).contains("we sent it a new code"));
        awaitMail(email, 2);
        assertTrue(login.resend(0).contains("we sent it a new code"));
        String code = Mailbox.emailCode(awaitMail(email, 3));
        assertTrue(login.resend(1).contains("No more than 3 codes can be sent in an hour"), "hourly cap on node B");
        assertNoMoreMail(email, 3);

        // five wrong codes, alternating nodes, kill the code for both
        String wrong = code.equals("000000") ? "111111" : "000000";
        String page = "";
        for (int i = 0; i < 5; i++) {
            page = login.verify(wrong, i % 2).body();
        }
        assertTrue(page.contains("Too many wrong codes"), page);
        assertTrue(
                login.verify(code, 0).body().contains("Too many wrong codes"),
                "the right code after the limit, on node A");
        admin.updateExecutionConfig(MAIL_REALM, mailConfigId, MAIL_FLOW + "-code", mailSettings(0, 20));
    }

    /**
     * SMTP down: a first factor's page is the one every name gets (the mail leaves after it), not an
     * error page; once SMTP is back, a resend through the other node signs in (with its own code: the
     * first mail's task has failed by then).
     */
    @Test
    @Order(6)
    void smtpDownShowsTheUsualPageAndTheLoginIsNotStuck() throws Exception {
        String email = newMailUser("cid");
        smtp.stop();
        boolean down = true;
        try {
            EmailCodeLogin login = new EmailCodeLogin(email);
            HttpResponse<String> sent = login.identifyResponse(0);
            assertEquals(200, sent.statusCode());
            assertTrue(sent.body().contains("If an account exists for"), sent.body());
            assertFalse(sent.body().contains("Exception") || sent.body().contains("smtp"), "internals on the page");
            // the mail's task starts 100 to 300 ms after the page and fails at once against a closed port
            KeycloakServer.sleep(Duration.ofSeconds(2));

            smtp = startSmtp();
            down = false;
            assertTrue(login.resend(1).contains("we sent it a new code"));
            login.verifyAndFinish(Mailbox.emailCode(awaitMail(email, 1)), 0);
        } finally {
            if (down) {
                smtp = startSmtp();
            }
        }
    }

    /** The header proxy's per-user rate limit counts requests through both nodes. */
    @Test
    @Order(7)
    void headerProxyRateLimitHoldsAcrossNodes() throws Exception {
        String realm = "cluster-proxy";
        AdminApi admin = cluster.admin();
        admin.createProxyRealm(realm, "cli", List.of());
        String password = KeycloakServer.randomSecret();
        admin.createUser(realm, "pat", "pat@example.test", password);
        try (RecordingUpstream upstream = new RecordingUpstream(1024)) {
            admin.send(
                    "PUT",
                    "/admin/realms/" + realm + "/keyward-vault/providers/limited",
                    Map.of(
                            "displayName",
                            "limited",
                            "credentialKind",
                            "bearer",
                            "proxy",
                            Map.of(
                                    "baseUrl",
                                    upstream.baseUrl() + "/api",
                                    "allowHttp",
                                    true,
                                    "pathPrefixes",
                                    List.of("/echo"),
                                    "methods",
                                    List.of("GET"),
                                    "staticHeaders",
                                    Map.of(),
                                    "passThroughHeaders",
                                    List.of(),
                                    "privateRanges",
                                    List.of("127.0.0.1/32"),
                                    "rateLimit",
                                    Map.of("requests", 4, "windowSeconds", 86_400))));
            VaultApi onA = new VaultApi(cluster.a());
            String token = onA.userToken(realm, "cli", "pat", password);
            assertEquals(
                    201,
                    new VaultApi(cluster.b())
                            .userJson(
                                    "PUT",
                                    realm,
                                    "credentials/limited",
                                    token,
                                    Map.of("secret", "cluster-upstream-" + KeycloakServer.randomSecret()))
                            .status());
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                                URI.create(cluster.node(i) + "/realms/" + realm + "/header-proxy/limited/echo/" + i))
                        .header("Authorization", "Bearer " + token)
                        .build();
                statuses.add(http.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode());
            }
            assertEquals(List.of(200, 200, 200, 200, 429, 429), statuses, "requests alternating A, B, A, B, A, B");
            assertEquals(4, upstream.seen().size(), "requests that reached the upstream");
        }
    }

    /**
     * Node A dies (SIGKILL) between KE1 and KE3, and while an admin writes vault secrets through it.
     * The user finishes on node B, at worst by starting the login again there; nothing stored is
     * damaged: every user still signs in with one OPAQUE credential, every secret whose write was
     * acknowledged is there, and every vault row decrypts.
     */
    @Test
    @Order(10)
    void nodeAKilledMidLoginAndMidWrites() throws Exception {
        String realm = realms.realm(LoginVariant.OPAQUE);
        AdminApi adminA = new AdminApi(cluster.a());
        AdminApi adminB = new AdminApi(cluster.b());
        String vaultPath = "/admin/realms/" + realm + "/keyward-vault/secrets/";
        List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> writes = writer.submit(() -> {
            for (int i = 0; writing.get(); i++) {
                try {
                    if (adminA.exchange(
                                                    "PUT",
                                                    vaultPath + "during_kill_" + i,
                                                    Map.of("value", "v-" + i + "-" + KeycloakServer.randomSecret()))
                                            .statusCode()
                                    / 100
                            == 2) {
                        acknowledged.add("during_kill_" + i);
                    }
                } catch (RuntimeException e) {
                    return null; // node A is gone
                }
            }
            return null;
        });
        try {
            KeycloakServer.sleep(Duration.ofSeconds(2));
            AtomicBoolean killed = new AtomicBoolean();
            LoginDriver.Route killAfterKe1 = step -> {
                if (step == LoginDriver.Step.KE3 && killed.compareAndSet(false, true)) {
                    cluster.a().kill();
                }
                return cluster.node(killed.get() ? 1 : 0);
            };
            String user = LoginBenchRealms.username(4);
            String password = LoginBenchRealms.password(4);
            try {
                new LoginDriver(cluster.publicBase(), killAfterKe1).login(LoginVariant.OPAQUE, realm, user, password);
                System.out.println("the login begun on node A finished on node B");
            } catch (LoginDriver.LoginFailure e) {
                // allowed: the user starts again; no server error on the way
                assertFalse(
                        e.getMessage().matches("(?s).*got 5\\d\\d .*"),
                        "a server error after node A died: " + e.getMessage());
                System.out.println("the login begun on node A had to start again: " + e.getMessage());
            }
            assertTrue(killed.get());
            writing.set(false);
            writes.get();

            LoginDriver onB = new LoginDriver(cluster.publicBase(), step -> cluster.node(1));
            onB.login(LoginVariant.OPAQUE, realm, user, password);
            for (int i : List.of(0, 1, 2, 5, 6, 7)) {
                onB.login(LoginVariant.OPAQUE, realm, LoginBenchRealms.username(i), LoginBenchRealms.password(i));
            }
            try (Connection sql = cluster.b().sql();
                    PreparedStatement q = sql.prepareStatement("SELECT u.USERNAME, COUNT(c.ID) FROM USER_ENTITY u"
                            + " JOIN REALM r ON r.ID = u.REALM_ID LEFT JOIN CREDENTIAL c ON c.USER_ID = u.ID AND c.TYPE = 'keyward-opaque'"
                            + " WHERE r.NAME = ? GROUP BY u.USERNAME")) {
                q.setString(1, realm);
                try (ResultSet rows = q.executeQuery()) {
                    int users = 0;
                    while (rows.next()) {
                        users++;
                        assertEquals(1, rows.getInt(2), rows.getString(1) + "'s OPAQUE credentials");
                    }
                    assertEquals(realms.users(), users);
                }
            }
            JsonNode stored = adminB.get(vaultPath.substring(0, vaultPath.length() - 1));
            String names = stored.toString();
            assertTrue(acknowledged.size() > 0, "no vault write was acknowledged before the kill");
            for (String name : acknowledged) {
                assertTrue(names.contains("\"" + name + "\""), name + " was acknowledged but is not stored");
            }
            JsonNode integrity = adminB.get("/admin/realms/" + realm + "/keyward-vault/integrity");
            assertEquals(0, integrity.get("undecryptable").size(), integrity.toString());
            System.out.printf("vault writes acknowledged before the kill: %d%n", acknowledged.size());
        } finally {
            writing.set(false);
            writer.shutdownNow();
            if (!cluster.a().isRunning()) {
                cluster.a().startNode();
                cluster.awaitMembers(Duration.ofMinutes(2));
            }
        }
    }

    private static void loginSplitAt(String realm, int user, Map<LoginDriver.Step, Integer> nodes) throws Exception {
        new LoginDriver(cluster.publicBase(), step -> cluster.node(nodes.getOrDefault(step, 0)))
                .login(LoginVariant.OPAQUE, realm, LoginBenchRealms.username(user), LoginBenchRealms.password(user));
    }

    private static String userId(String realm, String username) {
        return cluster.admin()
                .get("/admin/realms/" + realm + "/users?exact=true&username=" + username)
                .get(0)
                .get("id")
                .asText();
    }

    private static Map<String, String> mailSettings(int cooldownSeconds, int maxSendsPerHour) {
        return Map.of(
                "resendCooldownSeconds",
                Integer.toString(cooldownSeconds),
                "maxSendsPerHour",
                Integer.toString(maxSendsPerHour));
    }

    private static String newMailUser(String name) {
        String username = name + "-"
                + KeycloakServer.randomSecret()
                        .substring(0, 6)
                        .toLowerCase(java.util.Locale.ROOT)
                        .replaceAll("[^a-z0-9]", "x");
        String email = username + "@example.test";
        cluster.admin()
                .send(
                        "POST",
                        "/admin/realms/" + MAIL_REALM + "/users",
                        Map.of(
                                "username",
                                username,
                                "email",
                                email,
                                "emailVerified",
                                true,
                                "enabled",
                                true,
                                "firstName",
                                "Cluster",
                                "lastName",
                                name));
        return email;
    }

    private static GreenMail startSmtp() {
        GreenMail mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return mail;
    }

    private static List<MimeMessage> mailsTo(String address) throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (m.getAllRecipients()[0].toString().equalsIgnoreCase(address)) {
                found.add(m);
            }
        }
        return found;
    }

    private static MimeMessage awaitMail(String address, int n) throws Exception {
        long deadline = System.nanoTime() + MAIL_WAIT.toNanos();
        while (mailsTo(address).size() < n) {
            assertTrue(System.nanoTime() < deadline, "mail " + n + " to " + address + " did not arrive");
            KeycloakServer.sleep(Duration.ofMillis(100));
        }
        List<MimeMessage> mails = mailsTo(address);
        assertEquals(n, mails.size(), "mails to " + address);
        return mails.get(n - 1);
    }

    private static void assertNoMoreMail(String address, int expected) throws Exception {
        KeycloakServer.sleep(Duration.ofSeconds(2));
        assertEquals(expected, mailsTo(address).size(), "mails to " + address);
    }

    /** A passwordless email-code login in {@link #MAIL_REALM}, each step on the node the test names. */
    private static final class EmailCodeLogin {
        private final String email;
        private final PlainBrowser browser = new PlainBrowser(PlainBrowser.newHttpClient(), cluster.publicBase());
        private final LoginDriver.Pkce pkce = new LoginDriver.Pkce();
        private String action;

        EmailCodeLogin(String email) {
            this.email = email;
        }

        HttpResponse<String> identifyResponse(int node) throws Exception {
            HttpResponse<String> page = browser.target(cluster.node(node))
                    .get(LoginDriver.authorizationUrl(cluster.publicBase(), MAIL_REALM, pkce));
            LoginDriver.expect(page, 200, "identify page");
            HttpResponse<String> sent =
                    browser.post(LoginDriver.formAction(page), Map.of("username", email, "email_code_op", "identify"));
            if (sent.statusCode() == 200) {
                action = LoginDriver.formAction(sent);
            }
            return sent;
        }

        String identify(int node) throws Exception {
            HttpResponse<String> sent = identifyResponse(node);
            LoginDriver.expect(sent, 200, "code page");
            return unescape(sent.body());
        }

        String resend(int node) throws Exception {
            HttpResponse<String> page =
                    browser.target(cluster.node(node)).post(action, Map.of("email_code_op", "resend"));
            LoginDriver.expect(page, 200, "resend");
            action = LoginDriver.formAction(page);
            return unescape(page.body());
        }

        HttpResponse<String> verify(String code, int node) throws Exception {
            HttpResponse<String> r =
                    browser.target(cluster.node(node)).post(action, Map.of("email_code_op", "verify", "code", code));
            if (r.statusCode() == 200) {
                action = LoginDriver.formAction(r);
            }
            return r;
        }

        /** The right code on {@code node}, then the token request there: an access token must come back. */
        void verifyAndFinish(String code, int node) throws Exception {
            String authorizationCode = LoginDriver.codeFrom(verify(code, node), pkce);
            HttpResponse<String> tokens = browser.target(cluster.node(node))
                    .post(
                            cluster.node(node) + "/realms/" + MAIL_REALM + "/protocol/openid-connect/token",
                            Map.of(
                                    "grant_type",
                                    "authorization_code",
                                    "client_id",
                                    LoginDriver.CLIENT_ID,
                                    "code",
                                    authorizationCode,
                                    "redirect_uri",
                                    LoginDriver.REDIRECT_URI,
                                    "code_verifier",
                                    pkce.verifier));
            LoginDriver.expect(tokens, 200, "token response");
            assertFalse(
                    JSON.readTree(tokens.body()).path("access_token").asText().isEmpty());
        }

        private static String unescape(String html) {
            return html.replace("&#39;", "'").replace("&quot;", "\"").replace("&amp;", "&");
        }
    }
}
