package dev.keyward.it.apitoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.Axe;
import dev.keyward.it.harness.BrowserExtension;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import dev.keyward.it.harness.Mailbox;
import dev.keyward.it.harness.OpaqueForms;
import dev.keyward.it.harness.RealmExport;
import dev.keyward.it.harness.TestNames;
import dev.keyward.it.harness.TestSecrets;
import dev.keyward.it.harness.VaultApi;
import dev.keyward.it.mfa.SecondFactorLoginIT;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The user's token page in a realm imported from the demo export, as a user meets it: signed in
 * with OPAQUE at the account console, they follow its Applications link to the page, create a token
 * (the page sends them through a fresh sign-in first), see its text once, a script exchanges it,
 * and they revoke it on the page, which stops the exchange. The page passes axe-core's WCAG 2.2
 * A and AA rules ({@link Axe}) empty, with a token just made, and with a token listed.
 */
@KeywardTest
class ApiTokenPageIT {
    private static final String REALM = "keyward-token-page-it";
    private static final String EXCHANGE = "keyward-api-tokens";
    // the OPAQUE page script runs Argon2id in the browser: seconds on a small machine
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final By EMPTY = By.id("empty");

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    // set by @KeywardTest before @BeforeAll
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static VaultApi api;
    private static Mailbox mailbox;

    @BeforeAll
    static void realm() {
        RealmExport.importAs(
                keycloak, admin, REALM, Map.of("smtpServer", mailbox.realmSmtp(), "quickLoginCheckMilliSeconds", 1));
        // a test signs in with an email code twice within a minute
        SecondFactorLoginIT.setConfig(
                admin, REALM, "keyward-email-code", Map.of("resendCooldownSeconds", "0", "maxSendsPerHour", "20"));
    }

    @Test
    void aUserMakesAndRevokesATokenOnThePageTheAccountConsoleLinks() throws Exception {
        User user = User.create();
        WebDriver driver = browser.driver();
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        String pageUrl = keycloak.realmUri(REALM) + "/api-tokens/page";

        // the account console, signed in on the OPAQUE form; its Applications list links the page
        driver.get(keycloak.realmUri(REALM) + "/account/applications");
        OpaqueForms.login(driver, wait, user.name(), user.password());
        openThePageFromTheConsole(driver, wait);

        // the page signs in through the SSO session without asking; the user has no tokens yet
        wait.until(ExpectedConditions.visibilityOfElementLocated(EMPTY));
        assertEquals(pageUrl, driver.getCurrentUrl(), "the code and state left the address bar");
        assertEquals("API tokens · Keyward demo", driver.getTitle());
        List<String> offered = driver.findElements(By.cssSelector("#scopes input[type=checkbox]")).stream()
                .map(box -> box.getAttribute("value"))
                .sorted()
                .toList();
        assertEquals(List.of(AdminApi.PROXY_SCOPE, AdminApi.VAULT_SCOPE), offered);
        assertEquals("30", driver.findElement(By.id("days")).getAttribute("value"));
        Axe.check((ChromeDriver) driver, "api-tokens-empty");

        // creating asks for the password again (the SSO session alone may not make a credential)
        driver.findElement(By.id("name")).sendKeys("nightly backup");
        driver.findElement(By.id("scope-" + AdminApi.VAULT_SCOPE)).click();
        driver.findElement(By.id("days")).clear();
        driver.findElement(By.id("days")).sendKeys("7");
        driver.findElement(By.id("create-button")).click();
        OpaqueForms.loginOrReauthenticate(driver, wait, user.name(), user.password());
        // back on the page: the form as the user left it, made only when they confirm
        confirmCreation(driver, wait, user, "nightly backup");
        WebElement created = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("created-token")));
        String text = created.getAttribute("value");
        TestSecrets.record(TestSecrets.Kind.TOKEN, text);
        assertTrue(text.matches("kwt_[A-Za-z0-9_-]{16}[A-Za-z0-9_-]{43}"), "not a token's shape");
        assertEquals(pageUrl, driver.getCurrentUrl());
        assertTrue(
                driver.findElement(By.id("status")).getText().contains("shown only once"),
                driver.findElement(By.id("status")).getText());
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#tokens tbody tr")));
        assertTrue(row.getText().startsWith("nightly backup"), row.getText());
        assertTrue(row.getText().contains(AdminApi.VAULT_SCOPE), row.getText());
        assertTrue(row.getText().contains(text.substring(0, 20)), "the row shows the token's id");
        Axe.check((ChromeDriver) driver, "api-tokens-created");

        // a script exchanges it: the access token carries the one scope the user chose
        VaultApi.Answer exchanged = exchange(text);
        assertEquals(200, exchanged.status(), exchanged.body());
        String access = exchanged.json().path("access_token").asText();
        TestSecrets.record(TestSecrets.Kind.TOKEN, access);
        JsonNode claims = VaultApi.claims(access);
        assertEquals("api-token", claims.path("acr").asText());
        assertTrue(List.of(claims.path("scope").asText().split(" ")).contains(AdminApi.VAULT_SCOPE));
        assertFalse(List.of(claims.path("scope").asText().split(" ")).contains(AdminApi.PROXY_SCOPE));

        // "Done" clears the text; a new visit lists the token (its id, never its text)
        driver.findElement(By.id("done")).click();
        assertFalse(driver.findElement(By.id("created")).isDisplayed());
        driver.get(pageUrl);
        row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#tokens tbody tr")));
        assertTrue(row.getText().contains("never") || row.getText().contains("from "), row.getText());
        assertFalse(driver.getPageSource().contains(text.substring(20)), "the token's text came back");
        browser.screenshot("api-token-page");
        Axe.check((ChromeDriver) driver, "api-tokens-list");

        // revoke on the page: the row goes and the exchange stops
        row.findElement(By.cssSelector("button.danger")).click();
        driver.switchTo().alert().accept();
        wait.until(ExpectedConditions.visibilityOfElementLocated(EMPTY));
        assertEquals(400, exchange(text).status());
    }

    /** The page's own answers: its policy, no caching of old scripts, nothing else served, off without its client. */
    @Test
    void thePageServesOnlyItsOwnAssetsUnderAStrictPolicy() throws Exception {
        VaultApi.Answer page = api.send("GET", "/realms/" + REALM + "/api-tokens/page", null, null, null);
        assertEquals(200, page.status());
        String csp = page.header("Content-Security-Policy");
        assertTrue(csp.contains("default-src 'none'"), csp);
        assertTrue(csp.contains("script-src 'self'"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        // the realm's other headers stay
        assertEquals("none", page.header("X-Robots-Tag"));
        assertEquals("nosniff", page.header("X-Content-Type-Options"));
        assertTrue(page.header("Strict-Transport-Security").startsWith("max-age="));
        assertEquals("no-store", page.header("Cache-Control"));
        assertEquals("same-origin", page.header("Cross-Origin-Opener-Policy"));
        assertTrue(page.body().contains("data-client=\"keyward-api-tokens-page\""), page.body());
        VaultApi.Answer script = api.send("GET", "/realms/" + REALM + "/api-tokens/page/page.js", null, null, null);
        assertEquals(200, script.status());
        assertTrue(script.header("Content-Type").startsWith("text/javascript"), script.header("Content-Type"));
        assertEquals("no-cache", script.header("Cache-Control"));
        for (String other : List.of("index.html", "off.html", "..%2Fpage.js", "TokenPage.class")) {
            assertEquals(
                    404,
                    api.send("GET", "/realms/" + REALM + "/api-tokens/page/" + other, null, null, null)
                            .status(),
                    other);
        }
        // the settings are the signed-in user's business
        assertEquals(
                401,
                api.send("GET", "/realms/" + REALM + "/api-tokens/settings", null, null, null)
                        .status());

        // a page client that could send its codes elsewhere turns the page off
        com.fasterxml.jackson.databind.node.ObjectNode client = admin.client(REALM, "keyward-api-tokens-page");
        String clientPath =
                "/admin/realms/" + REALM + "/clients/" + client.path("id").asText();
        for (String elsewhere : List.of(
                "https://elsewhere.example/*", "https://elsewhere.example/realms/" + REALM + "/api-tokens/page")) {
            client.withArray("redirectUris").add(elsewhere);
            admin.send("PUT", clientPath, client);
            try {
                assertEquals(
                        404,
                        api.send("GET", "/realms/" + REALM + "/api-tokens/page", null, null, null)
                                .status(),
                        elsewhere);
            } finally {
                client.withArray("redirectUris")
                        .remove(client.withArray("redirectUris").size() - 1);
                admin.send("PUT", clientPath, client);
            }
        }
        // the page's own address in full is as good as the relative one
        client.withArray("redirectUris").add(keycloak.realmUri(REALM) + "/api-tokens/page");
        admin.send("PUT", clientPath, client);
        try {
            assertEquals(
                    200,
                    api.send("GET", "/realms/" + REALM + "/api-tokens/page", null, null, null)
                            .status());
        } finally {
            client.withArray("redirectUris")
                    .remove(client.withArray("redirectUris").size() - 1);
            admin.send("PUT", clientPath, client);
        }
        assertEquals(
                200,
                api.send("GET", "/realms/" + REALM + "/api-tokens/page", null, null, null)
                        .status());

        // a realm without the page's client: the page says so, and signs nobody in
        String bare = REALM + "-bare";
        admin.send("POST", "/admin/realms", Map.of("realm", bare, "enabled", true));
        VaultApi.Answer off = api.send("GET", "/realms/" + bare + "/api-tokens/page", null, null, null);
        assertEquals(404, off.status());
        assertTrue(off.body().contains("not set up in this realm"), off.body());
        assertFalse(off.body().contains("page.js"), off.body());
    }

    /**
     * A user with two-factor sign-in on signs in at the console with both factors; on the page,
     * creating sends them through both factors again (prompt=login, acr_values=two-factor), and the
     * token remembers it.
     */
    @Test
    void aTwoFactorUserGivesBothFactorsAgainBeforeATokenIsMade() throws Exception {
        User user = User.create();
        WebDriver driver = browser.driver();
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        // the first sign-in moves the Keycloak password to OPAQUE: then the user has two methods
        driver.get(keycloak.realmUri(REALM) + "/account/");
        OpaqueForms.login(driver, wait, user.name(), user.password());
        wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText("Applications")));
        admin.enableTwoFactor(REALM, user.id());

        // turning it on ended the one-factor session: the console asks for both factors
        int mails = mailbox.to(user.email()).size();
        driver.get(keycloak.realmUri(REALM) + "/account/applications");
        OpaqueForms.login(driver, wait, user.name(), user.password());
        enterCode(driver, wait, user.email(), ++mails);
        openThePageFromTheConsole(driver, wait);

        driver.findElement(By.id("name")).sendKeys("two-factor script");
        driver.findElement(By.id("create-button")).click();
        OpaqueForms.loginOrReauthenticate(driver, wait, user.name(), user.password());
        enterCode(driver, wait, user.email(), ++mails);
        confirmCreation(driver, wait, user, "two-factor script");
        String text = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("created-token")))
                .getAttribute("value");
        TestSecrets.record(TestSecrets.Kind.TOKEN, text);
        assertTrue(text.startsWith("kwt_"), "no token");
        JsonNode tokens = admin.get("/admin/realms/" + REALM + "/keyward-api-tokens/users/" + user.id());
        assertEquals(1, tokens.size(), tokens.toString());
        assertTrue(tokens.get(0).path("twoFactor").asBoolean(), tokens.toString());
        assertEquals(0, tokens.get(0).path("scopes").size(), "no scope was chosen");
    }

    /**
     * Back from the fresh sign-in: the page shows the form filled in as the user left it and has
     * made nothing yet; the user confirms.
     */
    private static void confirmCreation(WebDriver driver, WebDriverWait wait, User user, String name) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "You signed in again"));
        assertEquals(name, driver.findElement(By.id("name")).getAttribute("value"));
        assertEquals(
                0,
                admin.get("/admin/realms/" + REALM + "/keyward-api-tokens/users/" + user.id())
                        .size(),
                "a token was made before the user confirmed");
        driver.findElement(By.id("create-button")).click();
    }

    /** Follows the console's Applications link to the page; the console opens an application in a new window. */
    private static void openThePageFromTheConsole(WebDriver driver, WebDriverWait wait) {
        String console = driver.getWindowHandle();
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("API tokens")))
                .click();
        wait.until(ExpectedConditions.numberOfWindowsToBe(2));
        driver.getWindowHandles().stream()
                .filter(handle -> !handle.equals(console))
                .findFirst()
                .ifPresent(handle -> driver.switchTo().window(handle));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("list-section")));
    }

    /** Types the code of the {@code n}th mail to {@code email} into the email-code page. */
    private static void enterCode(WebDriver driver, WebDriverWait wait, String email, int n) throws Exception {
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-email-code-form")));
        String code = Mailbox.emailCode(mailbox.awaitNth(email, n, WAIT));
        driver.findElement(By.id("code")).sendKeys(code);
        driver.findElement(By.id("kc-email-code-verify")).click();
        wait.until(ExpectedConditions.stalenessOf(form));
    }

    /** A user of the realm with a Keycloak password, which the first OPAQUE sign-in turns into an OPAQUE record. */
    private record User(String id, String name, String email, String password) {
        static User create() {
            String name = TestNames.user("page");
            String password = TestNames.password();
            String email = name + "@example.test";
            return new User(admin.createUser(REALM, name, email, password, true), name, email, password);
        }
    }

    private static VaultApi.Answer exchange(String apiToken) {
        return ApiTokenIT.exchange(api, REALM, EXCHANGE, apiToken);
    }
}
