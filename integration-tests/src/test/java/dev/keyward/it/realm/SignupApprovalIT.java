package dev.keyward.it.realm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.Axe;
import dev.keyward.it.harness.BrokerRealms;
import dev.keyward.it.harness.BrowserExtension;
import dev.keyward.it.harness.CallbackServer;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import dev.keyward.it.harness.Mailbox;
import dev.keyward.it.harness.OpaqueForms;
import dev.keyward.it.harness.RelyingParty;
import dev.keyward.it.harness.TestNames;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Sign-up approval ({@code signup-approval}) through the export's identity provider
 * {@code upstream}, both realms imported under names of their own (as {@link FederatedLoginIT}
 * does), with {@code keyward.approvalRequired=true} set on the provider through the admin API (the
 * export leaves it off). GreenMail is the realm's SMTP server; a user of the realm holding
 * realm-management's {@code manage-users} is the approver. What is checked is what the user sees
 * in Chromium, what the relying party gets, the mails, events and the admin API.
 */
@KeywardTest
class SignupApprovalIT {
    private static final String REALM = "keyward-approval-it";
    private static final String UPSTREAM = "keyward-approval-upstream-it";
    private static final String ALIAS = BrokerRealms.ALIAS;
    private static final String CLIENT = RealmImportIT.CLIENT;
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How long a mail that should not come is waited for (the pack sends after the request, on an executor). */
    private static final Duration NO_MAIL = Duration.ofSeconds(5);

    private static final By IDP_BUTTON = By.id("social-" + ALIAS);
    private static final By PENDING = By.id("keyward-signup-pending");
    private static final String PENDING_TITLE = "Your account is waiting for approval";
    private static final String PENDING_INFO = "You signed in with Keyward upstream. Your account here has been"
            + " created, but an administrator must approve it before you can use it.";
    private static final Pattern ACTION_LINK = Pattern.compile("https?://\\S+/login-actions/action-token\\?\\S+");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The pack's log warning when approvers' mails could not be sent. */
    private static final String FAILED_SEND = "approval request mail(s) could not be sent";

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    private WebDriver driver;
    private WebDriverWait wait;

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs, this class's mailbox
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static Mailbox mailbox;

    private static String approverEmail;

    @BeforeEach
    void browser() {
        driver = browser.driver();
        wait = new WebDriverWait(driver, WAIT);
    }

    @BeforeAll
    static void realms() {
        BrokerRealms.create(
                keycloak,
                admin,
                REALM,
                UPSTREAM,
                Map.of("smtpServer", mailbox.realmSmtp(), "quickLoginCheckMilliSeconds", 1));
        BrokerRealms.setProviderConfig(admin, REALM, "keyward.approvalRequired", "true");

        // the approver: a user of the realm who manages its users, with a verified address
        String name = TestNames.user("approver");
        approverEmail = name + "@example.test";
        String approverId = admin.createUser(REALM, name, approverEmail, TestNames.password(), true);
        String management = admin.client(REALM, "realm-management").get("id").asText();
        JsonNode role = admin.get("/admin/realms/" + REALM + "/clients/" + management + "/roles/manage-users");
        admin.send(
                "POST",
                "/admin/realms/" + REALM + "/users/" + approverId + "/role-mappings/clients/" + management,
                List.of(role));
    }

    /**
     * A new upstream user: the pending page (also after a reload), no code for the relying party,
     * the account disabled and unlinked, a REGISTER event and the approver's mail, in the admin
     * list. Neither the reset path nor the email code mails the account. Signing in again shows the
     * page again. Approved, the next login through the provider ends at the relying party with
     * tokens, with nothing else to do.
     */
    @Test
    void newAccountWaitsForApprovalAndTheNextLoginAfterApprovalCompletes() throws Exception {
        String name = TestNames.user("ada");
        String email = name + "@example.test";
        String password = TestNames.password();
        String upstreamId = upstreamUser(name, email, password);
        int approverMails = mailbox.to(approverEmail).size();

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            startAtProvider(rp);
            OpaqueForms.keycloakPasswordLogin(driver, wait, name, password);
            assertPendingPage();
            // the page passes axe-core's WCAG 2.2 A and AA rules under the export's keyward theme
            Axe.check((ChromeDriver) driver, "signup-pending");
            driver.navigate().refresh();
            assertPendingPage();
            assertThrows(
                    TimeoutException.class,
                    () -> callback.awaitRedirect(Duration.ofSeconds(1)),
                    "the relying party got an answer");
        }

        JsonNode user = onlyUser("username=" + enc("upstream." + name));
        String userId = user.get("id").asText();
        assertFalse(user.get("enabled").asBoolean(), "a pending account is enabled");
        assertTrue(links(userId).isEmpty(), "linked before approval");
        assertEquals(0, sessions(userId), "a pending account has a session");

        JsonNode register = admin.get("/admin/realms/" + REALM + "/events?type=REGISTER&user=" + userId);
        assertEquals(1, register.size(), register::toString);
        assertEquals(
                "pending",
                register.get(0).path("details").path("keyward_approval").asText());
        assertEquals(
                ALIAS, register.get(0).path("details").path("identity_provider").asText());

        MimeMessage mail = mailbox.awaitNth(approverEmail, approverMails + 1, WAIT);
        assertTrue(mail.getSubject().contains("is waiting for approval"), mail.getSubject());
        String text = Mailbox.plainText(mail);
        assertTrue(text.contains("upstream." + name), text);
        assertTrue(text.contains(email), text);
        assertTrue(text.contains("/admin/" + REALM + "/console/#/" + REALM + "/users/" + userId), text);

        JsonNode pending = admin.get("/admin/realms/" + REALM + "/keyward-approvals");
        JsonNode listed = find(pending, userId);
        assertEquals("upstream." + name, listed.path("username").asText());
        assertEquals(ALIAS, listed.path("identityProvider").asText());
        assertEquals(name, listed.path("identityProviderUsername").asText());

        // again through the provider (its session signs in without a page): the waiting page, not "link your account"
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            startAtProvider(rp);
            assertPendingPage();
            assertTrue(driver.findElements(By.id("linkAccount")).isEmpty());
            assertThrows(TimeoutException.class, () -> callback.awaitRedirect(Duration.ofSeconds(1)));
        }
        assertEquals(
                1,
                admin.get("/admin/realms/" + REALM + "/events?type=REGISTER&user=" + userId)
                        .size());

        // nothing else gets the account anywhere: no reset mail, no email code, no password grant
        int userMails = mailbox.to(email).size();
        resetPasswordFor(email);
        emailCodeFor(email);
        KeycloakServer.sleep(NO_MAIL);
        assertEquals(userMails, mailbox.to(email).size(), "a pending account got a mail");
        HttpResponse<String> grant = passwordGrant("upstream." + name, password);
        assertEquals(400, grant.statusCode(), grant::body);
        assertFalse(grant.body().contains("access_token"), grant::body);

        HttpResponse<String> approved = act(userId, "approve");
        assertEquals(200, approved.statusCode(), approved::body);
        JsonNode answer = JSON.readTree(approved.body());
        assertEquals("approved", answer.path("approval").asText());
        assertEquals(userId, answer.path("id").asText());
        assertEquals(ALIAS, answer.path("identityProvider").asText());
        assertEquals(name, answer.path("identityProviderUsername").asText());
        user = admin.get("/admin/realms/" + REALM + "/users/" + userId);
        assertTrue(user.get("enabled").asBoolean());
        assertTrue(user.path("attributes").path("keyward.approval").isMissingNode(), user::toString);
        JsonNode links = links(userId);
        assertEquals(1, links.size(), links::toString);
        assertEquals(upstreamId, links.get(0).get("userId").asText());
        assertEquals(name, links.get(0).get("userName").asText());
        // it no longer waits: approving twice is 404
        assertNoLongerWaits(userId, "UPDATE", "approve", "approval");

        // the next login through the provider (its session is still there) completes, nothing asked
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            startAtProvider(rp);
            if (!driver.findElements(By.id("kc-form-login")).isEmpty()) {
                OpaqueForms.keycloakPasswordLogin(driver, wait, name, password);
            }
            IDTokenClaimsSet claims = rp.finish(driver, WAIT);
            assertEquals("federated", claims.getACR().getValue());
            assertEquals(userId, claims.getSubject().getValue());
            assertEquals("upstream." + name, claims.getStringClaim("preferred_username"));
        }
    }

    /** Denied, the account is gone; the identity may sign up again and waits again. */
    @Test
    void deniedAccountIsRemoved() throws Exception {
        String name = TestNames.user("dan");
        String password = TestNames.password();
        String userId = pendingAccount(name, password);

        HttpResponse<String> denied = act(userId, "deny");
        assertEquals(204, denied.statusCode(), denied::body);
        assertEquals(
                0,
                admin.get("/admin/realms/" + REALM + "/users?exact=true&username=" + enc("upstream." + name))
                        .size());
        assertEquals(
                404,
                admin.exchange("GET", "/admin/realms/" + REALM + "/users/" + userId, null)
                        .statusCode());
        assertNoLongerWaits(userId, "DELETE", "deny", "denial");

        // a new try, in German (ui_locales): a new account, waiting again, on the page in the user's language
        signInThroughProvider(name, password, Map.of("ui_locales", "de"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(PENDING));
        assertTrue(OpaqueForms.visibleText(driver).contains("Ihr Konto wartet auf Freigabe"), driver::getPageSource);
        assertEquals(
                "Sie haben sich mit Keyward upstream angemeldet. Ihr Konto wurde hier angelegt, muss aber von einem"
                        + " Administrator freigegeben werden, bevor Sie es nutzen können.",
                driver.findElement(By.id("keyward-signup-pending-info"))
                        .getText()
                        .trim());
        JsonNode again = onlyUser("username=" + enc("upstream." + name));
        assertFalse(again.get("enabled").asBoolean());
        assertFalse(userId.equals(again.get("id").asText()));
    }

    /**
     * The realm's SMTP server refuses connections: the sign-up still ends on the waiting page, the
     * event is written, and the failed send is a log warning that names no address.
     */
    @Test
    void aFailingMailServerDoesNotShowOnTheUsersPage() throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        Map<String, String> broken = new java.util.HashMap<>(mailbox.realmSmtp());
        broken.put("port", Integer.toString(closedPort));
        admin.updateRealm(REALM, Map.of("smtpServer", broken));
        try {
            String name = TestNames.user("fay");
            String password = TestNames.password();
            upstreamUser(name, name + "@example.test", password);
            long before = logLines(FAILED_SEND);
            signInThroughProvider(name, password);
            assertPendingPage();
            String userId =
                    onlyUser("username=" + enc("upstream." + name)).get("id").asText();
            assertEquals(
                    1,
                    admin.get("/admin/realms/" + REALM + "/events?type=REGISTER&user=" + userId)
                            .size());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (logLines(FAILED_SEND) == before && System.nanoTime() < deadline) {
                KeycloakServer.sleep(Duration.ofMillis(200));
            }
            assertEquals(before + 1, logLines(FAILED_SEND), "no warning about the failed send");
            try (var lines = java.nio.file.Files.lines(keycloak.logFile(), StandardCharsets.ISO_8859_1)) {
                assertTrue(
                        lines.filter(l -> l.contains(FAILED_SEND)).noneMatch(l -> l.contains(approverEmail)),
                        "the warning names an address");
            }
        } finally {
            admin.updateRealm(REALM, Map.of("smtpServer", mailbox.realmSmtp()));
        }
    }

    /**
     * An admin who enables a waiting account in the admin console (a user update with
     * {@code enabled: true}) ends the wait without a link: the account leaves the list, the API no
     * longer approves it, and the next login through the provider meets it as an existing account
     * to link by mail, as the module's README says.
     */
    @Test
    void enablingInTheConsoleEndsTheWaitWithoutALink() throws Exception {
        String name = TestNames.user("erin");
        String password = TestNames.password();
        String userId = pendingAccount(name, password);

        setEnabled(userId, true);

        assertTrue(listed(userId) == null);
        assertEquals(404, act(userId, "approve").statusCode());
        assertEquals(404, act(userId, "deny").statusCode());
        assertTrue(links(userId).isEmpty());

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            startAtProvider(rp);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("linkAccount")));
            assertTrue(driver.findElements(PENDING).isEmpty());
            assertThrows(TimeoutException.class, () -> callback.awaitRedirect(Duration.ofSeconds(1)));
        }
        assertTrue(enabled(userId));
    }

    /**
     * An existing account with the provider's address is linked as without approval (the link
     * proved through its email), and signs in: approval concerns only accounts the login creates.
     */
    @Test
    void linkingAnExistingAccountIsNotAffected() throws Exception {
        String name = TestNames.user("carol");
        String email = name + "@example.test";
        String userId = admin.createUser(REALM, name, email, TestNames.password());
        String upstreamName = TestNames.user("carol-up");
        String upstreamPassword = TestNames.password();
        upstreamUser(upstreamName, email, upstreamPassword);

        int mails = mailbox.to(email).size();
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            startAtProvider(rp);
            OpaqueForms.keycloakPasswordLogin(driver, wait, upstreamName, upstreamPassword);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("linkAccount")))
                    .click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("instruction1")));
            Matcher link = ACTION_LINK.matcher(Mailbox.plainText(mailbox.awaitNth(email, mails + 1, WAIT)));
            assertTrue(link.find(), "no link mail");
            driver.get(link.group());
            IDTokenClaimsSet claims = rp.finish(driver, WAIT);
            assertEquals(userId, claims.getSubject().getValue());
        }
        JsonNode user = admin.get("/admin/realms/" + REALM + "/users/" + userId);
        assertTrue(user.get("enabled").asBoolean());
        assertTrue(user.path("attributes").path("keyward.approval").isMissingNode(), user::toString);
        assertEquals(1, links(userId).size());
        assertTrue(listed(userId) == null);
    }

    /**
     * The API answers only admins who manage users, and only about waiting accounts: an admin who
     * may only view users gets 403; an unknown id, a malformed one and an ordinary (enabled or
     * disabled) account are 404 with the JSON error, and the ordinary account is untouched.
     */
    @Test
    void theApiRefusesOtherAdminsAndAccountsThatDoNotWait() throws Exception {
        String base = "/admin/realms/" + REALM + "/keyward-approvals";
        String ordinary = admin.createUser(
                REALM, TestNames.user("olga"), TestNames.user("olga") + "@example.test", TestNames.password());
        String disabled = admin.createUser(
                REALM, TestNames.user("dora"), TestNames.user("dora") + "@example.test", TestNames.password());
        setEnabled(disabled, false);

        for (String id : List.of(ordinary, disabled, "6f1c2b7e-0000-4000-8000-000000000000", "x".repeat(80))) {
            for (String action : List.of("approve", "deny")) {
                HttpResponse<String> answer = admin.exchange("POST", base + "/" + id + "/" + action, null);
                assertEquals(404, answer.statusCode(), answer::body);
                assertEquals(
                        "not_pending",
                        JSON.readTree(answer.body()).path("error").asText());
            }
        }
        assertTrue(enabled(ordinary));
        assertFalse(enabled(disabled));

        // an admin of the master realm who may only view this realm's users
        String viewerName = TestNames.user("viewer");
        String viewerPassword = TestNames.password();
        String viewerId = admin.createUser("master", viewerName, viewerName + "@example.test", viewerPassword);
        String realmClient = admin.client("master", REALM + "-realm").get("id").asText();
        JsonNode view = admin.get("/admin/realms/master/clients/" + realmClient + "/roles/view-users");
        admin.send(
                "POST",
                "/admin/realms/master/users/" + viewerId + "/role-mappings/clients/" + realmClient,
                List.of(view));
        AdminApi viewer = new AdminApi(keycloak, viewerName, viewerPassword);
        assertEquals(403, viewer.exchange("GET", base, null).statusCode());
        assertEquals(
                403,
                viewer.exchange("POST", base + "/" + ordinary + "/approve", null)
                        .statusCode());
        assertEquals(
                403,
                viewer.exchange("POST", base + "/" + ordinary + "/deny", null).statusCode());
        assertTrue(enabled(ordinary));
        admin.send("DELETE", "/admin/realms/master/users/" + viewerId, null);
    }

    // --- helpers

    private void assertPendingPage() {
        wait.until(ExpectedConditions.visibilityOfElementLocated(PENDING));
        String page = OpaqueForms.visibleText(driver);
        assertTrue(page.contains(PENDING_TITLE), page);
        assertEquals(
                PENDING_INFO,
                driver.findElement(By.id("keyward-signup-pending-info"))
                        .getText()
                        .trim());
        assertTrue(driver.getCurrentUrl().startsWith(keycloak.realmUri(REALM).toString()), driver.getCurrentUrl());
    }

    /** The relying party's authorization request, and the provider's button on Keyward's sign-in page. */
    private void startAtProvider(RelyingParty rp) {
        driver.get(rp.authorizationUri().toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(IDP_BUTTON)).click();
    }

    /** A new upstream user signs up through the provider and sees the waiting page; returns the account's id. */
    private String pendingAccount(String name, String password) throws Exception {
        upstreamUser(name, name + "@example.test", password);
        signInThroughProvider(name, password);
        assertPendingPage();
        return onlyUser("username=" + enc("upstream." + name)).get("id").asText();
    }

    /** Through the provider; its login form unless the provider's session is still there (its cookies are not ours to clear). */
    private void signInThroughProvider(String name, String password) throws Exception {
        signInThroughProvider(name, password, Map.of());
    }

    private void signInThroughProvider(String name, String password, Map<String, String> request) throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback, request);
            startAtProvider(rp);
            wait.until(ExpectedConditions.or(
                    ExpectedConditions.visibilityOfElementLocated(By.id("kc-form-login")),
                    ExpectedConditions.visibilityOfElementLocated(PENDING)));
            if (driver.findElements(PENDING).isEmpty()) {
                OpaqueForms.keycloakPasswordLogin(driver, wait, name, password);
            }
        }
    }

    /** "Forgot password?" on the sign-in page, for that address. */
    private void resetPasswordFor(String email) throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.manage().deleteAllCookies();
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            driver.findElement(By.id("kc-forgot-password")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-reset-password-form")));
            driver.findElement(By.id("username")).sendKeys(email);
            driver.findElement(By.id("kc-form-buttons")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
        }
    }

    /** "Try another way", the email code, that address: the code page shows, whoever it is. */
    private void emailCodeFor(String email) throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.manage().deleteAllCookies();
            driver.get(rp.authorizationUri().toString());
            BrowserLoginIT.tryAnotherWay(driver, wait);
            BrowserLoginIT.chooseMethod(driver, "Email code");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-email-code-identify-form")));
            driver.findElement(By.id("username")).sendKeys(email);
            driver.findElement(By.id("kc-email-code-send")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-email-code-form")));
        }
    }

    private static HttpResponse<String> passwordGrant(String username, String password) throws Exception {
        String form = "grant_type=password&client_id=" + CLIENT + "&scope=openid&username=" + enc(username)
                + "&password=" + enc(password);
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(keycloak.realmUri(REALM) + "/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String upstreamUser(String username, String email, String password) {
        return BrokerRealms.upstreamUser(admin, UPSTREAM, username, email, true, password);
    }

    private static HttpResponse<String> act(String userId, String action) {
        return admin.exchange("POST", "/admin/realms/" + REALM + "/keyward-approvals/" + userId + "/" + action, null);
    }

    /** After an approval or a denial: off the list, an admin event about the account, and the same call again 404. */
    private static void assertNoLongerWaits(String userId, String operation, String action, String what) {
        assertTrue(listed(userId) == null);
        assertTrue(
                adminEvents(operation).stream()
                        .anyMatch(e -> e.path("resourcePath").asText().equals("users/" + userId)),
                "no admin event for the " + what);
        assertEquals(404, act(userId, action).statusCode());
    }

    private static boolean enabled(String userId) {
        return admin.get("/admin/realms/" + REALM + "/users/" + userId)
                .get("enabled")
                .asBoolean();
    }

    private static void setEnabled(String userId, boolean enabled) {
        ObjectNode rep = (ObjectNode) admin.get("/admin/realms/" + REALM + "/users/" + userId);
        rep.put("enabled", enabled);
        admin.send("PUT", "/admin/realms/" + REALM + "/users/" + userId, rep);
    }

    private static JsonNode links(String userId) {
        return admin.get("/admin/realms/" + REALM + "/users/" + userId + "/federated-identity");
    }

    private static long logLines(String text) throws java.io.IOException {
        try (var lines = java.nio.file.Files.lines(keycloak.logFile(), StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    private static int sessions(String userId) {
        return admin.get("/admin/realms/" + REALM + "/users/" + userId + "/sessions")
                .size();
    }

    private static List<JsonNode> adminEvents(String operation) {
        List<JsonNode> events = new java.util.ArrayList<>();
        admin.get("/admin/realms/" + REALM + "/admin-events?resourceTypes=USER&operationTypes=" + operation
                        + "&max=200")
                .forEach(events::add);
        return events;
    }

    /** The waiting list's entry of that user, or null. */
    private static JsonNode listed(String userId) {
        return find(admin.get("/admin/realms/" + REALM + "/keyward-approvals"), userId);
    }

    /** The list entry of that user, or null. */
    private static JsonNode find(JsonNode list, String userId) {
        for (JsonNode entry : list) {
            if (entry.path("id").asText().equals(userId)) {
                return entry;
            }
        }
        return null;
    }

    private static JsonNode onlyUser(String query) {
        JsonNode users = admin.get("/admin/realms/" + REALM + "/users?exact=true&" + query);
        assertEquals(1, users.size(), users::toString);
        return users.get(0);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
