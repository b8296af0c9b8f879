package dev.keyward.it.opaque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.it.harness.BrowserExtension;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.OpaqueForms;
import dev.keyward.it.harness.TestNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An upgrade of the pack reaches a browser that cached the page script and the theme's stylesheet. Keycloak serves theme
 * resources for 30 days under a URL that changes only with Keycloak's version, so the script's name
 * must change with its content (the stylesheet's name comes from the theme JAR's theme.properties,
 * which the themes build writes with a hash of the file). On a Keycloak of its own with production theme caching: the browser
 * loads the sign-in page twice (the second time the script comes from its cache), the pack's JAR is
 * replaced by one whose page script differs, Keycloak restarts, and the same browser runs the new
 * script, which still signs in.
 */
class PageAssetsUpgradeIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MANIFEST = "dev/keyward/opaque/authenticator/page-assets.properties";
    private static final Pattern SCRIPT_TAG = Pattern.compile(
            "<script type=\"module\" src=\"([^\"]+/js/(keyward-opaque-(?:[A-Z0-9]{8}|UPGRADED)\\.js))\"");
    private static final String UPGRADED_NAME = "keyward-opaque-UPGRADED.js";
    // what only the upgraded script does
    private static final String MARKER = "\n;document.documentElement.dataset.keywardPageScript=\"upgraded\";\n";
    private static final Pattern STYLESHEET =
            Pattern.compile("href=\"[^\"]*/login/keyward/css/(keyward-[0-9a-f]{12}\\.css)\"");
    private static final String UPGRADED_CSS = "keyward-0123456789ab.css";
    private static final String CSS_MARKER = "\n:root { --keyward-upgraded: yes; }\n";
    private static final String THEME_PROPERTIES = "theme/keyward/login/theme.properties";

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    private static KeycloakServer keycloak;

    @AfterAll
    static void stop() {
        if (keycloak != null) {
            keycloak.shutdown();
        }
    }

    @Test
    void anUpgradedPageScriptAndStylesheetReachABrowserThatCachedTheOldOnes() throws Exception {
        keycloak = KeycloakServer.dedicated("keycloak-assets");
        // what a production server does: cached themes, theme resources served for 30 days
        List<String> productionThemes = List.of(
                "--spi-theme--cache-themes=true",
                "--spi-theme--cache-templates=true",
                "--spi-theme--static-max-age=2592000");
        keycloak.start(Map.of(), productionThemes);
        WebDriver driver = browser.driver();
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        URI login = URI.create(keycloak.realmUri("keyward") + "/account");

        open(driver, wait, login);
        String before = scriptName(driver.getPageSource());
        assertEquals(manifestPage(), before, "the page loads the bundle the JAR's manifest names");
        assertTrue(before.matches("keyward-opaque-[A-Z0-9]{8}\\.js"), before);
        String stylesheet = stylesheetName(driver.getPageSource());
        assertTrue(
                themeStyles(onlyThemesJar()).contains("css/" + stylesheet),
                "the page links the stylesheet the theme JAR's theme.properties names");
        String cacheControl = scriptCacheControl(driver.getPageSource());
        assertTrue(cacheControl.contains("max-age=2592000"), cacheControl);
        OpaqueForms.login(driver, wait, "nobody-" + KeycloakServer.randomSecret(), TestNames.password());
        OpaqueForms.awaitInvalid(driver, wait);
        open(driver, wait, login);
        assertTrue(fromCache(driver, before), "the second visit takes the script from the browser's cache");
        assertTrue(fromCache(driver, stylesheet), "and the stylesheet");

        keycloak.shutdown();
        upgradePageScript(onlyOpaqueJar());
        upgradeStylesheet(onlyThemesJar(), stylesheet);
        keycloak.start(Map.of(), productionThemes);

        open(driver, wait, login);
        assertEquals(UPGRADED_NAME, scriptName(driver.getPageSource()));
        wait.until(d -> "upgraded"
                .equals(((JavascriptExecutor) d)
                        .executeScript("return document.documentElement.dataset.keywardPageScript")));
        assertFalse(fromCache(driver, UPGRADED_NAME));
        assertEquals(UPGRADED_CSS, stylesheetName(driver.getPageSource()));
        assertFalse(fromCache(driver, UPGRADED_CSS));
        assertEquals(
                "yes",
                ((JavascriptExecutor) driver)
                        .executeScript("return getComputedStyle(document.documentElement)"
                                + ".getPropertyValue('--keyward-upgraded').trim()"));
        // the upgraded script still runs OPAQUE: its suite bundle is the one it imports by name
        OpaqueForms.login(driver, wait, "nobody-" + KeycloakServer.randomSecret(), TestNames.password());
        OpaqueForms.awaitInvalid(driver, wait);
        HttpResponse<Void> old = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(scriptUri(driver.getPageSource()).resolve(before))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
        assertEquals(404, old.statusCode(), "the old script left with the old JAR");
    }

    /** The account console, which sends the browser on to the realm's sign-in page. */
    private static void open(WebDriver driver, WebDriverWait wait, URI account) {
        driver.get(account.toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
    }

    private static String stylesheetName(String html) {
        Matcher m = STYLESHEET.matcher(html);
        assertTrue(m.find(), "the page links the keyward stylesheet under a content-hashed name");
        return m.group(1);
    }

    private static String scriptName(String html) {
        Matcher m = SCRIPT_TAG.matcher(html);
        assertTrue(m.find(), "the page loads a module script");
        return m.group(2);
    }

    private URI scriptUri(String html) {
        Matcher m = SCRIPT_TAG.matcher(html);
        assertTrue(m.find());
        return keycloak.baseUri().resolve(m.group(1).replace("&amp;", "&"));
    }

    private String scriptCacheControl(String html) throws IOException, InterruptedException {
        HttpResponse<Void> answer = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(scriptUri(html)).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, answer.statusCode());
        return answer.headers().firstValue("Cache-Control").orElse("");
    }

    /** Whether the page's load of {@code name} came from the browser's cache (no bytes transferred). */
    private static boolean fromCache(WebDriver driver, String name) {
        Object transferred = ((JavascriptExecutor) driver)
                .executeScript(
                        "const e = performance.getEntriesByType('resource').find(r => r.name.endsWith('/' + arguments[0]));"
                                + " return e ? e.transferSize : -1;",
                        name);
        long bytes = ((Number) transferred).longValue();
        assertTrue(bytes >= 0, "the page loaded " + name);
        return bytes == 0;
    }

    private static String manifestPage() throws IOException {
        try (FileSystem jar = FileSystems.newFileSystem(onlyOpaqueJar())) {
            return manifest(jar).getProperty("page");
        }
    }

    private static Properties manifest(FileSystem jar) throws IOException {
        Properties names = new Properties();
        try (InputStream in = Files.newInputStream(jar.getPath(MANIFEST))) {
            names.load(in);
        }
        return names;
    }

    private static Path onlyOpaqueJar() throws IOException {
        try (Stream<Path> jars = Files.list(keycloak.home().resolve("providers"))) {
            List<Path> found = jars.filter(
                            p -> p.getFileName().toString().matches("keyward-opaque-authenticator-.*\\.jar"))
                    .toList();
            assertEquals(1, found.size(), found.toString());
            return found.get(0);
        }
    }

    private static Path onlyThemesJar() throws IOException {
        try (Stream<Path> jars = Files.list(keycloak.home().resolve("providers"))) {
            List<Path> found = jars.filter(p -> p.getFileName().toString().matches("keyward-themes-.*\\.jar"))
                    .toList();
            assertEquals(1, found.size(), found.toString());
            return found.get(0);
        }
    }

    private static String themeStyles(Path jarFile) throws IOException {
        try (FileSystem jar = FileSystems.newFileSystem(jarFile)) {
            Properties theme = new Properties();
            try (InputStream in = Files.newInputStream(jar.getPath(THEME_PROPERTIES))) {
                theme.load(in);
            }
            return theme.getProperty("styles");
        }
    }

    /** The same for the theme's stylesheet: a new name (and a rule of its own) in theme.properties, the old file gone. */
    private static void upgradeStylesheet(Path jarFile, String oldName) throws IOException {
        try (FileSystem jar = FileSystems.newFileSystem(jarFile)) {
            Path css = jar.getPath("theme/keyward/login/resources/css");
            String sheet = Files.readString(css.resolve(oldName), StandardCharsets.UTF_8);
            Files.writeString(css.resolve(UPGRADED_CSS), sheet + CSS_MARKER, StandardCharsets.UTF_8);
            Files.delete(css.resolve(oldName));
            Path properties = jar.getPath(THEME_PROPERTIES);
            Files.writeString(
                    properties,
                    Files.readString(properties, StandardCharsets.UTF_8).replace(oldName, UPGRADED_CSS),
                    StandardCharsets.UTF_8);
        }
        assertTrue(themeStyles(jarFile).contains("css/" + UPGRADED_CSS));
    }

    /**
     * What a pack upgrade that changed the page script does to the JAR: the script under a new name
     * (with content of its own), the manifest naming it, the old file gone.
     */
    private static void upgradePageScript(Path jarFile) throws IOException {
        try (FileSystem jar = FileSystems.newFileSystem(jarFile)) {
            Properties names = manifest(jar);
            Path js = jar.getPath("theme-resources/resources/js");
            Path old = js.resolve(names.getProperty("page"));
            String script = Files.readString(old, StandardCharsets.UTF_8);
            Files.writeString(js.resolve(UPGRADED_NAME), script + MARKER, StandardCharsets.UTF_8);
            Files.delete(old);
            String text = Files.readString(jar.getPath(MANIFEST), StandardCharsets.UTF_8)
                    .replace(names.getProperty("page"), UPGRADED_NAME);
            Properties check = new Properties();
            check.load(new StringReader(text));
            assertEquals(UPGRADED_NAME, check.getProperty("page"));
            Files.writeString(jar.getPath(MANIFEST), text, StandardCharsets.UTF_8);
        }
    }
}
