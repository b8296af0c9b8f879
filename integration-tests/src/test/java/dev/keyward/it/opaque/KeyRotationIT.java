package dev.keyward.it.opaque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.BrowserExtension;
import dev.keyward.it.harness.CallbackServer;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.Mailbox;
import dev.keyward.it.harness.NodeClient;
import dev.keyward.it.harness.OpaqueForms;
import dev.keyward.it.harness.OpaqueRealm;
import dev.keyward.it.harness.RealmExport;
import dev.keyward.it.harness.RelyingParty;
import dev.keyward.it.mfa.SecondFactorLoginIT;
import dev.keyward.it.realm.RealmImportIT;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Online rotation of the OPAQUE setup secret on a Keycloak of its own: three users registered
 * under the single secret (key id 1); a restart with the keyring 1,2 and 2 active; alice (the Node
 * client) and bob (Chromium, the page script) sign in and are moved to key 2 in the same login,
 * counted by the admin API; carol signs in with a client that ignores the offer and stays on key
 * 1. Key 1 is retired: carol gets the action email, her old password fails like a wrong one, the
 * email's link sets a new one under key 2. Key 1 then leaves the configuration and all three
 * still sign in.
 */
class KeyRotationIT {
    private static final String REALM = "keyward-key-rotation-it";
    private static final String CLIENT = "rotation-client";
    private static final String REDIRECT = "http://127.0.0.1:9/callback";
    private static final String SECRET_ENV = "KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__SETUP_SECRET";
    private static final String SECRETS_ENV = "KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__SETUP_SECRETS";
    private static final String ACTIVE_ENV = "KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__ACTIVE_SETUP_SECRET";
    private static final String INVALID = "Invalid username or password.";
    private static final Pattern ACTION_LINK = Pattern.compile("https?://\\S+/login-actions/action-token\\?\\S+");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String KEYS = "/admin/realms/" + REALM + "/keyward-opaque/keys";

    private static final String S1 = randomSecret();
    private static final String S2 = randomSecret();
    private static final Map<String, String> PASSWORDS = Map.of(
            "alice", "Alice-" + KeycloakServer.randomSecret(),
            "bob", "Bob-" + KeycloakServer.randomSecret(),
            "carol", "Carol-" + KeycloakServer.randomSecret());

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    private static KeycloakServer keycloak;
    private static GreenMail smtp;

    @AfterAll
    static void stop() {
        if (keycloak != null) {
            keycloak.shutdown();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void oldRecordsKeepWorkingMoveOnLoginAndARetiredKeyEndsInTheResetPath() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        Mailbox mailbox = new Mailbox(smtp);
        keycloak = KeycloakServer.dedicated("keycloak-key-rotation");
        keycloak.start(Map.of(SECRET_ENV, S1), List.of());
        AdminApi admin = new AdminApi(keycloak);
        OpaqueRealm.create(admin, REALM, Map.of("eventsEnabled", true, "smtpServer", Mailbox.realmSmtp(smtp)));
        admin.createPublicPkceClient(REALM, CLIENT, List.of(REDIRECT));
        NodeClient node = new NodeClient(keycloak.realmUri(REALM).toString(), CLIENT, REDIRECT);
        for (String name : List.of("alice", "bob", "carol")) {
            String legacy = "Legacy-" + KeycloakServer.randomSecret();
            OpaqueRealm.createLegacyUser(admin, REALM, name, name + "@example.test", legacy);
            JsonNode registered = node.run("register", name, PASSWORDS.get(name), legacy);
            assertTrue(registered.get("ok").asBoolean(), registered.toString());
        }
        OpaqueRealm.useOpaqueBrowserFlow(admin, REALM);
        assertEquals(Map.of("1", 3L), usersByKeyId(admin));

        // the single secret becomes key 1 of a ring whose active key is 2
        keycloak.shutdown();
        keycloak.start(Map.of(SECRETS_ENV, "1:" + S1 + ",2:" + S2, ACTIVE_ENV, "2"), List.of());
        admin = new AdminApi(keycloak);
        assertEquals(Map.of("1", 3L, "2", 0L), usersByKeyId(admin));
        assertEquals("2", admin.get(KEYS).get("activeKeyId").asText());

        JsonNode alice = node.run("login", "alice", PASSWORDS.get("alice"), null);
        assertTrue(alice.get("ok").asBoolean(), alice.toString());
        assertTrue(alice.path("rekeyed").asBoolean(), "the server offered a re-registration: " + alice);
        JsonNode login = lastLogin(admin, "alice");
        assertEquals("1->2", login.at("/details/opaque_rekeyed").asText(), login.toString());

        browserLogin("bob", PASSWORDS.get("bob"));
        assertEquals(Map.of("1", 1L, "2", 2L), usersByKeyId(admin));

        // a client that ignores the offer still signs in, and carol stays on key 1
        JsonNode carol = node.run("login", "carol", PASSWORDS.get("carol"), null, "--no-rekey");
        assertTrue(carol.get("ok").asBoolean(), carol.toString());
        assertFalse(carol.has("rekeyed"), carol.toString());
        assertEquals(Map.of("1", 1L, "2", 2L), usersByKeyId(admin));

        // the active key cannot be retired
        HttpResponse<String> refused = admin.exchange("POST", KEYS + "/2/retire", null);
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("is the active setup secret"), refused.body());

        JsonNode retired = json(admin.exchange("POST", KEYS + "/1/retire", null));
        assertEquals(1, retired.get("credentialsRemoved").asInt(), retired.toString());
        assertEquals(1, retired.get("actionEmailsQueued").asInt(), retired.toString());
        assertEquals(0, retired.get("remaining").asInt(), retired.toString());
        assertEquals(Map.of("1", 0L, "2", 2L), usersByKeyId(admin));

        // carol's old password now fails exactly like a wrong one
        JsonNode failed = node.run("login", "carol", PASSWORDS.get("carol"), null);
        assertFalse(failed.get("ok").asBoolean(), failed.toString());
        assertEquals("no_code", failed.get("error").asText(), failed.toString());
        assertEquals(INVALID, failed.get("message").asText(), failed.toString());

        // the email's link: a new OPAQUE password, under key 2
        String newPassword = "Carol-new-" + KeycloakServer.randomSecret();
        WebDriver driver = browser.driver();
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        // this browser still holds bob's session (cookies on the realm's path)
        driver.get(keycloak.realmUri(REALM) + "/.well-known/openid-configuration");
        driver.manage().deleteAllCookies();
        MimeMessage actionMail = mailbox.awaitNth("carol@example.test", 1, WAIT);
        String mailText = Mailbox.plainText(actionMail);
        // the action by its label in words, as Keycloak names its own (stock email theme here)
        assertTrue(mailText.contains("following action(s): Set your password."), mailText);
        assertFalse(
                (mailText + Mailbox.html(actionMail)).contains("requiredAction."),
                "a raw message key in the email: " + mailText);
        Matcher link = ACTION_LINK.matcher(mailText);
        assertTrue(link.find(), "no action link");
        driver.get(link.group());
        WebElement proceed =
                wait.until(ExpectedConditions.elementToBeClickable(By.partialLinkText("Click here to proceed")));
        String confirmation = OpaqueForms.visibleText(driver);
        assertTrue(confirmation.contains("Perform the following action(s): Set your password"), confirmation);
        assertFalse(confirmation.contains("requiredAction."), confirmation);
        proceed.click();
        OpaqueForms.register(driver, wait, newPassword);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-page-title")));
        assertTrue(
                OpaqueForms.visibleText(driver).contains("Your account has been updated."),
                OpaqueForms.visibleText(driver));
        assertEquals(Map.of("1", 0L, "2", 3L), usersByKeyId(admin));
        assertEquals(
                0,
                mailbox.to("alice@example.test").size()
                        + mailbox.to("bob@example.test").size());

        // nothing needs key 1 any more: it leaves the configuration, and everyone signs in
        keycloak.shutdown();
        long logMark = Files.size(keycloak.logFile());
        keycloak.start(Map.of(SECRETS_ENV, "2:" + S2), List.of());
        admin = new AdminApi(keycloak);
        assertEquals(Map.of("2", 3L), usersByKeyId(admin));
        for (String[] user : List.of(
                new String[] {"alice", PASSWORDS.get("alice")},
                new String[] {"bob", PASSWORDS.get("bob")},
                new String[] {"carol", newPassword})) {
            JsonNode result = node.run("login", user[0], user[1], null);
            assertTrue(result.get("ok").asBoolean(), user[0] + ": " + result);
            assertFalse(result.has("rekeyed"), result.toString());
        }
        String log = Files.readString(keycloak.logFile());
        assertTrue(log.substring((int) logMark).contains("setup secrets [2], active '2'"));
        assertFalse(log.contains(S1) || log.contains(S2), "a setup secret reached the log");
    }

    /** bob through Chromium: the page script does the re-registration inside the same sign-in. */
    private void browserLogin(String name, String password) throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            AdminApi admin = new AdminApi(keycloak);
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, name, password);
            assertEquals(name, rp.finish(driver, WAIT).getStringClaim("preferred_username"));
            assertEquals(
                    "1->2", lastLogin(admin, name).at("/details/opaque_rekeyed").asText());
        }
    }

    private static Map<String, Long> usersByKeyId(AdminApi admin) {
        JsonNode counts = admin.get(KEYS).get("usersByKeyId");
        Map<String, Long> byId = new java.util.TreeMap<>();
        counts.fields().forEachRemaining(e -> byId.put(e.getKey(), e.getValue().asLong()));
        return byId;
    }

    private static JsonNode lastLogin(AdminApi admin, String username) {
        JsonNode user = admin.get("/admin/realms/" + REALM + "/users?exact=true&username=" + username)
                .get(0);
        JsonNode events = admin.get("/admin/realms/" + REALM + "/events?type=LOGIN&max=1&user="
                + user.get("id").asText());
        assertEquals(1, events.size(), events.toString());
        return events.get(0);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    }

    private static String randomSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /**
     * A two-factor user on key 1, in the export's flow (email code second, GreenMail), on a
     * Keycloak of this test's own: the password alone moves nothing, a whole two-factor login
     * moves the record to key 2 with an UPDATE_CREDENTIAL event, and a node still running with key
     * 1 active (a rolling restart) never offers to move it back.
     */
    @Test
    void aTwoFactorUserMovesOnlyAfterTheWholeLoginAndNeverBack() throws Exception {
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
        KeycloakServer server = KeycloakServer.dedicated("keycloak-key-rotation-2fa");
        try {
            Mailbox mailbox = new Mailbox(mail);
            String email = "tina@example.test";
            String password = "Tina-" + KeycloakServer.randomSecret();
            server.start(Map.of(SECRET_ENV, S1), List.of());
            AdminApi admin = new AdminApi(server);
            RealmExport.importAs(
                    server, admin, REALM, Map.of("smtpServer", mailbox.realmSmtp(), "quickLoginCheckMilliSeconds", 1));
            // four codes within minutes
            SecondFactorLoginIT.setConfig(
                    admin, REALM, "keyward-email-code", Map.of("resendCooldownSeconds", "0", "maxSendsPerHour", "20"));
            String userId = admin.createUser(REALM, "tina", email, password);
            // two-factor off: the first sign-in moves the Keycloak password to an OPAQUE record under key 1
            twoFactorLogin(server, admin, mailbox, email, password, TwoFactorStop.AFTER_PASSWORD_SIGNED_IN);
            admin.enableTwoFactor(REALM, userId);
            assertEquals(Map.of("1", 1L), usersByKeyId(admin));

            server.shutdown();
            server.start(Map.of(SECRETS_ENV, "1:" + S1 + ",2:" + S2, ACTIVE_ENV, "2"), List.of());
            admin = new AdminApi(server);
            // the password, then abandoned at the email code: the record stays under key 1
            twoFactorLogin(server, admin, mailbox, email, password, TwoFactorStop.AT_SECOND_FACTOR);
            assertEquals(Map.of("1", 1L, "2", 0L), usersByKeyId(admin));
            assertEquals(0, rekeyEvents(admin, userId).size());

            // both factors: moved to key 2 with the login, and said so
            twoFactorLogin(server, admin, mailbox, email, password, TwoFactorStop.SIGNED_IN);
            assertEquals(Map.of("1", 0L, "2", 1L), usersByKeyId(admin));
            JsonNode moved = rekeyEvents(admin, userId);
            assertEquals(1, moved.size(), moved.toString());
            assertEquals("1->2", moved.get(0).at("/details/opaque_rekeyed").asText(), moved.toString());
            twoFactorLogin(server, admin, mailbox, email, password, TwoFactorStop.SIGNED_IN);

            // a node not yet restarted with key 2 active: it answers the record under 2 and never moves it back
            server.shutdown();
            server.start(Map.of(SECRETS_ENV, "1:" + S1 + ",2:" + S2, ACTIVE_ENV, "1"), List.of());
            admin = new AdminApi(server);
            twoFactorLogin(server, admin, mailbox, email, password, TwoFactorStop.SIGNED_IN);
            assertEquals(Map.of("1", 0L, "2", 1L), usersByKeyId(admin));
            assertEquals(1, rekeyEvents(admin, userId).size());
        } finally {
            server.shutdown();
            mail.stop();
        }
    }

    private enum TwoFactorStop {
        /** two-factor off: the password signs in */
        AFTER_PASSWORD_SIGNED_IN,
        /** the email code is asked for, and the login abandoned there */
        AT_SECOND_FACTOR,
        /** the password and the email code sign in */
        SIGNED_IN
    }

    /** tina through Chromium in the export's flow, from a browser without a session. */
    private void twoFactorLogin(
            KeycloakServer server, AdminApi admin, Mailbox mailbox, String email, String password, TwoFactorStop stop)
            throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(server, admin, REALM, RealmImportIT.CLIENT, callback);
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            driver.get(server.realmUri(REALM) + "/.well-known/openid-configuration");
            driver.manage().deleteAllCookies();
            int mails = mailbox.to(email).size();
            driver.get(rp.authorizationUri().toString());
            OpaqueForms.login(driver, wait, "tina", password);
            if (stop != TwoFactorStop.AFTER_PASSWORD_SIGNED_IN) {
                WebElement form =
                        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-email-code-form")));
                if (stop == TwoFactorStop.AT_SECOND_FACTOR) {
                    return;
                }
                String code = Mailbox.emailCode(mailbox.awaitNth(email, mails + 1, WAIT));
                driver.findElement(By.id("code")).sendKeys(code);
                driver.findElement(By.id("kc-email-code-verify")).click();
                wait.until(ExpectedConditions.stalenessOf(form));
            }
            assertEquals("tina", rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
    }

    /** The user's UPDATE_CREDENTIAL events that moved their record to another key. */
    private static JsonNode rekeyEvents(AdminApi admin, String userId) {
        com.fasterxml.jackson.databind.node.ArrayNode rekeyed =
                new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
        admin.get("/admin/realms/" + REALM + "/events?type=UPDATE_CREDENTIAL&user=" + userId)
                .forEach(e -> {
                    if (e.has("details") && e.get("details").has("opaque_rekeyed")) {
                        rekeyed.add(e);
                    }
                });
        return rekeyed;
    }

    // ---- retiring: the re-check, permissions, sessions, two-factor users, the start-up warning ----

    private static final String RETIRE_REALM = "keyward-key-retire-it";
    private static final String RETIRE_KEYS = "/admin/realms/" + RETIRE_REALM + "/keyward-opaque/keys";
    private static final String RETIRE_PASSWORD = "Retire-" + KeycloakServer.randomSecret();
    private static KeycloakServer retireKeycloak;
    private static GreenMail retireSmtp;

    /**
     * A Keycloak of its own for the retirement tests, in whatever order they run: dave (one
     * factor) and erin (two-factor sign-in on, no passkey) registered under the single secret, key 1.
     */
    private static synchronized KeycloakServer retireServer() throws Exception {
        if (retireKeycloak != null) {
            return retireKeycloak;
        }
        retireSmtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        retireSmtp.start();
        retireKeycloak = KeycloakServer.dedicated("keycloak-key-retire");
        retireKeycloak.start(Map.of(SECRET_ENV, S1), List.of());
        AdminApi admin = new AdminApi(retireKeycloak);
        OpaqueRealm.create(
                admin, RETIRE_REALM, Map.of("eventsEnabled", true, "smtpServer", Mailbox.realmSmtp(retireSmtp)));
        admin.createPublicPkceClient(RETIRE_REALM, CLIENT, List.of(REDIRECT));
        // two_factor_enabled is not declared in this realm's user profile: admins may set it anyway
        ObjectNode profile = (ObjectNode) admin.get("/admin/realms/" + RETIRE_REALM + "/users/profile");
        profile.put("unmanagedAttributePolicy", "ADMIN_EDIT");
        admin.send("PUT", "/admin/realms/" + RETIRE_REALM + "/users/profile", profile);
        NodeClient node = new NodeClient(retireKeycloak.realmUri(RETIRE_REALM).toString(), CLIENT, REDIRECT);
        for (String name : List.of("dave", "erin")) {
            String legacy = "Legacy-" + KeycloakServer.randomSecret();
            String id = OpaqueRealm.createLegacyUser(admin, RETIRE_REALM, name, name + "@example.test", legacy);
            JsonNode registered = node.run("register", name, RETIRE_PASSWORD + name, legacy);
            assertTrue(registered.get("ok").asBoolean(), registered.toString());
            if (name.equals("erin")) {
                admin.enableTwoFactor(RETIRE_REALM, id);
                assertEquals(
                        "true",
                        admin.get(retireUser(id))
                                .path("attributes")
                                .path("two_factor_enabled")
                                .path(0)
                                .asText());
            }
        }
        OpaqueRealm.useOpaqueBrowserFlow(admin, RETIRE_REALM);
        return retireKeycloak;
    }

    @AfterAll
    static void stopRetireServer() {
        if (retireKeycloak != null) {
            retireKeycloak.shutdown();
        }
        if (retireSmtp != null) {
            retireSmtp.stop();
        }
    }

    @Test
    void anAdminWhoMayOnlyViewUsersCannotRetire() throws Exception {
        KeycloakServer server = retireServer();
        AdminApi admin = new AdminApi(server);
        String name = "retire-viewer-" + System.nanoTime();
        String password = KeycloakServer.randomSecret();
        String viewerId = admin.createUser("master", name, name + "@example.test", password);
        String clientUuid =
                admin.client("master", RETIRE_REALM + "-realm").get("id").asText();
        JsonNode role = admin.get("/admin/realms/master/clients/" + clientUuid + "/roles/view-users");
        admin.send(
                "POST",
                "/admin/realms/master/users/" + viewerId + "/role-mappings/clients/" + clientUuid,
                List.of(role));
        AdminApi viewer = new AdminApi(server, name, password);
        JsonNode before = viewer.get(RETIRE_KEYS).get("usersByKeyId");

        HttpResponse<String> refused = viewer.exchange("POST", RETIRE_KEYS + "/1/retire?logout=true", null);
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals(before, admin.get(RETIRE_KEYS).get("usersByKeyId"), "nothing was retired");
        admin.send("DELETE", "/admin/realms/master/users/" + viewerId, null);
    }

    @Test
    void aKeyOutsideTheRingIsWarnedAtStartAndRetiringItEndsSessionsAndTellsTwoFactorUsersHowToGoOn() throws Exception {
        KeycloakServer server = retireServer();
        Mailbox mailbox = new Mailbox(retireSmtp);
        // key 1 leaves the ring while dave and erin are still under it
        server.shutdown();
        long logMark = Files.size(server.logFile());
        server.start(Map.of(SECRETS_ENV, "2:" + S2), List.of());
        String log = Files.readString(server.logFile()).substring((int) logMark);
        assertTrue(
                log.contains("WARN")
                        && log.contains("Realm " + RETIRE_REALM + ": 2 OPAQUE passwords are under setup-secret ids"
                                + " that this node's keyring [2] does not hold")
                        && log.contains("POST .../keys/{id}/retire")
                        && log.contains("/admin/realms/" + RETIRE_REALM + "/keyward-opaque/keys"),
                log);
        assertFalse(log.contains(S1) || log.contains(S2), "a setup secret reached the log");

        AdminApi admin = new AdminApi(server);
        String daveId = admin.get("/admin/realms/" + RETIRE_REALM + "/users?exact=true&username=dave")
                .get(0)
                .get("id")
                .asText();
        String erinId = admin.get("/admin/realms/" + RETIRE_REALM + "/users?exact=true&username=erin")
                .get(0)
                .get("id")
                .asText();
        // dave has a session at least (an admin's impersonation makes one without his password)
        admin.send("POST", retireUser(daveId) + "/impersonation", null);
        int daveSessions = admin.get(retireUser(daveId) + "/sessions").size();
        assertTrue(daveSessions >= 1, "dave's sessions: " + daveSessions);
        int sessions =
                daveSessions + admin.get(retireUser(erinId) + "/sessions").size();
        assertEquals(2, admin.get(RETIRE_KEYS).at("/usersByKeyId/1").asInt());

        JsonNode retired = json(admin.exchange("POST", RETIRE_KEYS + "/1/retire?logout=true", null));
        assertEquals(2, retired.get("credentialsRemoved").asInt(), retired.toString());
        assertEquals(1, retired.get("actionEmailsQueued").asInt(), retired.toString());
        assertEquals(1, retired.get("twoFactorNoticesQueued").asInt(), retired.toString());
        assertEquals(0, retired.get("usersNotPermitted").asInt(), retired.toString());
        assertEquals(sessions, retired.get("sessionsEnded").asInt(), retired.toString());
        assertEquals(0, retired.get("remaining").asInt(), retired.toString());
        assertFalse(retired.has("next"), retired.toString());
        assertEquals(0, admin.get(retireUser(daveId) + "/sessions").size(), "dave is signed out");
        assertEquals(0, admin.get(retireUser(erinId) + "/sessions").size(), "erin is signed out");
        assertTrue(admin.get(RETIRE_KEYS).at("/usersByKeyId/1").isMissingNode(), "none left under 1");

        // dave: Keycloak's action email with its link
        String daveMail = Mailbox.plainText(mailbox.awaitNth("dave@example.test", 1, WAIT));
        assertTrue(ACTION_LINK.matcher(daveMail).find(), daveMail);

        // erin: the pack's notice, in English, and no link an email alone could finish
        MimeMessage erinMail = mailbox.awaitNth("erin@example.test", 1, WAIT);
        assertEquals("Set a new password for " + RETIRE_REALM, erinMail.getSubject());
        String erinText = Mailbox.plainText(erinMail);
        String erinAll = erinText + Mailbox.html(erinMail);
        assertTrue(
                erinText.contains(
                        "For your security, the administrator of Keyward-key-retire-it has retired your password."),
                erinText);
        // no passkey: "Forgot password?" would need one (keyward-reset-two-factor), so an admin must help
        assertTrue(erinText.contains("it has no passkey, so the password cannot be reset"), erinText);
        assertFalse(erinAll.contains("Forgot Password?"), erinText);
        assertFalse(ACTION_LINK.matcher(erinAll).find(), "an action link for a two-factor user: " + erinText);
        assertFalse(erinAll.contains("keywardOpaque"), "a raw message key: " + erinText);
        assertTrue(
                admin.get(retireUser(erinId)).get("requiredActions").toString().contains("keyward-opaque-register"),
                "erin sets a new password after her next full sign-in");
        KeycloakServer.sleep(Duration.ofSeconds(1));
        assertEquals(2, mailbox.count(), "one email each");
    }

    private static String retireUser(String id) {
        return "/admin/realms/" + RETIRE_REALM + "/users/" + id;
    }
}
