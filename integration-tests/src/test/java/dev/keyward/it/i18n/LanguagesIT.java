package dev.keyward.it.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.common.MessageBundles;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.BrowserExtension;
import dev.keyward.it.harness.CallbackServer;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.KeywardTest;
import dev.keyward.it.harness.Mailbox;
import dev.keyward.it.harness.OpaqueForms;
import dev.keyward.it.harness.Passkeys;
import dev.keyward.it.harness.RealmExport;
import dev.keyward.it.harness.RelyingParty;
import dev.keyward.it.harness.TestNames;
import dev.keyward.it.realm.BrowserLoginIT;
import dev.keyward.it.realm.RealmImportIT;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pack's pages in another language (issue 19, item 3): an English browser picks German, or
 * Arabic (right to left), in the language menu of the OPAQUE sign-in page, as a user does, and
 * signs in through every page the pack adds: the OPAQUE form, "Try another way", the email-code
 * pages and mail, the second-factor choice, the OPAQUE form as second factor, and the page that
 * enables two-factor sign-in. No page shows English text of the pack's messages or a raw message
 * key; in Arabic the page is {@code dir="rtl"} and fits a 320 px wide screen. Own realm, imported
 * from the export (which has every language of Keycloak's login theme on), GreenMail as SMTP.
 */
@KeywardTest
class LanguagesIT {
    private static final String REALM = "keyward-i18n-it";
    private static final String CLIENT = RealmImportIT.CLIENT;
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The pack's message sets, from the integration-tests module. */
    private static final List<String> MESSAGE_SETS = List.of(
            "../opaque-authenticator/src/main/resources/theme-resources/messages",
            "../email-code-authenticator/src/main/resources/theme-resources/messages",
            "../mfa-policy-flow/src/main/resources/theme-resources/messages",
            "../themes/src/main/resources/theme/keyward/login/messages",
            "../themes/src/main/resources/theme/keyward/email/messages");
    /** A message key as Keycloak prints it when the message is missing. */
    private static final Pattern RAW_KEY = Pattern.compile(
            "keyward[A-Z][\\w-]*|keyward-[a-z0-9-]+|requiredAction\\.[\\w.-]+|[\\w-]+-(display-name|help-text)");
    /** The languages of the tests written right to left. */
    private static final Set<String> RIGHT_TO_LEFT = Set.of("ar");
    /** The narrowest phone screen the pages must fit. */
    private static final int NARROW = 320;

    @RegisterExtension
    final BrowserExtension browser = new BrowserExtension();

    private WebDriver driver;
    private WebDriverWait wait;

    // set by @KeywardTest before @BeforeAll: the shared Keycloak and its APIs, this class's mailbox
    private static KeycloakServer keycloak;
    private static AdminApi admin;
    private static Mailbox mailbox;

    @BeforeEach
    void browser() {
        driver = browser.driver();
        wait = new WebDriverWait(driver, WAIT);
    }

    @BeforeAll
    static void realm() {
        RealmExport.importAs(
                keycloak, admin, REALM, Map.of("smtpServer", mailbox.realmSmtp(), "quickLoginCheckMilliSeconds", 1));
    }

    /**
     * The 41 locales the pack translates are Keycloak's: its login theme's {@code locales=} and
     * every language it ships login messages for (in the distribution the tests run).
     */
    @Test
    void thePacksLocalesAreKeycloaksLoginLocales() throws IOException {
        Set<String> keycloaks = new TreeSet<>();
        try (ZipFile themes = new ZipFile(themesJar().toFile())) {
            Properties base = new Properties();
            try (InputStream in = themes.getInputStream(themes.getEntry("theme/base/login/theme.properties"))) {
                base.load(in);
            }
            keycloaks.addAll(List.of(base.getProperty("locales").split(",")));
            Pattern file = Pattern.compile("theme/base/login/messages/messages_(\\w+)\\.properties");
            for (ZipEntry entry : java.util.Collections.list(themes.entries())) {
                Matcher m = file.matcher(entry.getName());
                if (m.matches()) {
                    // Keycloak keeps Chinese in zh_Hans/zh_Hant files and offers them as zh-CN/zh-TW
                    keycloaks.add(m.group(1)
                            .replace("zh_Hans", "zh-CN")
                            .replace("zh_Hant", "zh-TW")
                            .replace('_', '-'));
                }
            }
        }
        assertEquals(keycloaks, new TreeSet<>(MessageBundles.KEYCLOAK_LOGIN_LOCALES));
    }

    /**
     * Keycloak 26.7 takes {@code kc_locale} only on its login-action URLs (the language menu's
     * links), not on the authorization request; a client asks with {@code ui_locales}.
     */
    @Test
    void aClientAsksWithUiLocalesNotKcLocale() throws Exception {
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty ignored =
                    new RelyingParty(keycloak, admin, REALM, CLIENT, callback, Map.of("kc_locale", "de"));
            driver.get(ignored.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            assertEquals("en", htmlAttribute("lang"));
            signOut();

            RelyingParty asking =
                    new RelyingParty(keycloak, admin, REALM, CLIENT, callback, Map.of("ui_locales", "de"));
            driver.get(asking.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            assertEquals("de", htmlAttribute("lang"));
            assertEquals(texts("de").get("loginAccountTitle"), pageTitle());
        }
    }

    @Test
    void german() throws Exception {
        signInThroughEveryPage("de");
    }

    @Test
    void arabicRightToLeft() throws Exception {
        signInThroughEveryPage("ar");
    }

    /**
     * A user with a password, a passkey and a verified address, two-factor on, picks the language
     * on the sign-in page, then signs in with an email code (first factor) and the password
     * (second); another user, with the password only, opens the page that enables two-factor.
     */
    private void signInThroughEveryPage(String lang) throws Exception {
        Map<String, String> texts = texts(lang);
        String name = TestNames.user(lang);
        String email = name + "@example.test";
        String password = TestNames.password();
        String id = admin.createUser(REALM, name, email, password);
        // in English, as before: the first sign-in (which makes the OPAQUE record) and a passkey
        Passkeys.attach(driver);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            Passkeys.register(driver, rp, callback, () -> OpaqueForms.login(driver, wait, name, password), "Phone");
        }
        admin.enableTwoFactor(REALM, id);
        signOut();

        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(keycloak, admin, REALM, CLIENT, callback);
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            assertEquals("en", htmlAttribute("lang"), "the browser asks for English");
            chooseLanguage(lang);
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            assertEquals(texts.get("loginAccountTitle"), pageTitle());
            assertTranslated(lang, "sign-in page");
            browser.screenshot("sign-in-page-" + lang);

            List<String> methods = BrowserLoginIT.tryAnotherWay(driver, wait);
            assertTrue(methods.contains(texts.get("keyward-email-code-display-name")), methods::toString);
            assertTranslated(lang, "try another way");
            BrowserLoginIT.chooseMethod(driver, texts.get("keyward-email-code-display-name"));

            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-email-code-identify-form")));
            assertEquals(texts.get("keywardEmailCodeIdentifyTitle"), pageTitle());
            assertTranslated(lang, "email code: identify");
            int mails = mailbox.to(email).size();
            driver.findElement(By.id("username")).sendKeys(email);
            driver.findElement(By.id("kc-email-code-send")).click();

            WebElement codeForm =
                    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-email-code-form")));
            assertEquals(texts.get("keywardEmailCodeTitle"), pageTitle());
            assertTranslated(lang, "email code: code");
            MimeMessage mail = mailbox.awaitNth(email, mails + 1, WAIT);
            assertTrue(
                    mail.getSubject()
                            .startsWith(MessageBundles.literalParts(texts.get("keywardEmailCodeSubject"))
                                    .get(0)),
                    mail.getSubject());
            assertTrue(
                    Mailbox.plainText(mail)
                            .contains(MessageBundles.literalParts(texts.get("keywardEmailCodeBodyIgnore"))
                                    .get(0)),
                    Mailbox.plainText(mail));
            driver.findElement(By.id("code")).sendKeys(Mailbox.emailCode(mail));
            driver.findElement(By.id("kc-email-code-verify")).click();
            wait.until(ExpectedConditions.stalenessOf(codeForm));

            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-second-factor-form")));
            assertEquals(texts.get("keywardSecondFactorTitle"), pageTitle());
            assertEquals(
                    texts.get("keywardSecondFactorMethod-PASSKEY"),
                    driver.findElement(By.id("kc-second-factor-passkey"))
                            .getText()
                            .trim());
            assertTranslated(lang, "second factor: choice");
            driver.findElement(By.id("kc-second-factor-password")).click();

            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            assertTranslated(lang, "second factor: password");
            OpaqueForms.loginOrReauthenticate(driver, wait, name, password);
            assertEquals(name, rp.finish(driver, WAIT).getStringClaim("preferred_username"));
        }
        assertEquals(
                lang,
                admin.get("/admin/realms/" + REALM + "/users/" + id)
                        .path("attributes")
                        .path("locale")
                        .path(0)
                        .asText(),
                "the language picked is the user's");

        signOut();
        String one = TestNames.user(lang + "-one");
        String oneId = admin.createUser(REALM, one, one + "@example.test", password, false);
        try (CallbackServer callback = new CallbackServer()) {
            RelyingParty rp = new RelyingParty(
                    keycloak, admin, REALM, CLIENT, callback, Map.of("kc_action", "keyward-enable-two-factor"));
            driver.get(rp.authorizationUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(OpaqueForms.LOGIN_FORM));
            chooseLanguage(lang);
            OpaqueForms.login(driver, wait, one, password);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-enable-two-factor-form")));
            assertEquals(texts.get("keywardEnableTwoFactorTitle"), pageTitle());
            assertEquals(
                    texts.get("keywardEnableTwoFactorSetup-PASSKEY"),
                    driver.findElement(By.id("kc-2fa-setup-passkey")).getText().trim());
            assertTranslated(lang, "enable two-factor");
            driver.findElement(By.id("kc-2fa-cancel")).click();
            assertTrue(rp.finishTokens(driver, WAIT).redirect().getQuery().contains("kc_action_status=cancelled"));
        }
        assertTrue(admin.get("/admin/realms/" + REALM + "/users/" + oneId)
                .path("attributes")
                .path("two_factor_enabled")
                .isMissingNode());
    }

    // --- the checks

    /**
     * The page shows none of the English text of the pack's messages (unless the translation
     * keeps it, as German does "Passkey"), no message key, and in a right-to-left language is
     * {@code dir="rtl"}; it fits a 320 px screen.
     */
    private void assertTranslated(String lang, String page) {
        String text = pageText();
        List<String> english = new ArrayList<>();
        englishLeftIn(lang).forEach((part, key) -> {
            if (text.contains(part)) {
                english.add(key + ": \"" + part + "\"");
            }
        });
        assertEquals(List.of(), english, page + " (" + lang + ") shows English text of the pack's messages:\n" + text);
        Matcher raw = RAW_KEY.matcher(text);
        List<String> keys = new ArrayList<>();
        while (raw.find()) {
            keys.add(raw.group());
        }
        assertEquals(List.of(), keys, page + " (" + lang + ") shows message keys:\n" + text);
        assertEquals(lang, htmlAttribute("lang"), page);
        assertEquals(RIGHT_TO_LEFT.contains(lang) ? "rtl" : "ltr", htmlAttribute("dir"), page);
        assertFitsNarrowScreen(lang, page);
    }

    /**
     * Chromium emulates a 320 px wide phone (the page's viewport meta applies) while the page's
     * widths are measured: nothing may stick out sideways, the way that makes a phone scroll
     * horizontally.
     */
    private void assertFitsNarrowScreen(String lang, String page) {
        ChromeDriver chrome = (ChromeDriver) driver;
        chrome.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", NARROW, "height", 720, "deviceScaleFactor", 1, "mobile", true));
        try {
            Map<?, ?> widths = (Map<?, ?>) js("return {scroll: document.documentElement.scrollWidth,"
                    + " client: document.documentElement.clientWidth, body: document.body.scrollWidth};");
            long client = ((Number) widths.get("client")).longValue();
            long scroll =
                    Math.max(((Number) widths.get("scroll")).longValue(), ((Number) widths.get("body")).longValue());
            if (scroll > client) {
                browser.screenshot("languages-" + lang + "-" + page.replaceAll("\\W+", "-") + "-" + NARROW);
            }
            assertTrue(
                    scroll <= client,
                    () -> page + " (" + lang + ") is " + scroll + " px wide on a " + client
                            + " px screen; sticking out: "
                            + js("const w = document.documentElement.clientWidth, out = [];"
                                    + "for (const e of document.querySelectorAll('body *')) {"
                                    + "  const r = e.getBoundingClientRect();"
                                    + "  if (r.width > 0 && (r.right > w + 0.5 || r.left < -0.5)) {"
                                    + "    out.push(e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ' '"
                                    + "        + Math.round(r.left) + '..' + Math.round(r.right));"
                                    + "  }"
                                    + "}"
                                    + "return out.slice(0, 15).join('; ');"));
        } finally {
            chrome.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    /**
     * What the user reads: the visible text, the window title, the messages the page script shows
     * later (data-msg-*), labels for assistive technology and placeholders.
     */
    private String pageText() {
        return (String) js("const parts = [document.title, document.body.innerText];"
                + "for (const e of document.querySelectorAll('*')) {"
                + "  for (const a of e.attributes) {"
                + "    if (a.name.startsWith('data-msg') || ['placeholder', 'aria-label', 'title', 'alt'].includes(a.name)) {"
                + "      parts.push(a.value);"
                + "    }"
                + "  }"
                + "}"
                + "return parts.join('\\n');");
    }

    /**
     * The English text of every pack message, as pages show it around the placeholders, except
     * what the translation of the same message has too: part to key.
     */
    private static Map<String, String> englishLeftIn(String lang) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String set : MESSAGE_SETS) {
            MessageBundles bundles = MessageBundles.in(set);
            Map<String, String> translated = bundles.texts(lang);
            bundles.texts("en").forEach((key, english) -> {
                String translation = String.join("\u0000", MessageBundles.literalParts(translated.get(key)));
                for (String part : MessageBundles.literalParts(english)) {
                    String trimmed = part.strip();
                    if (trimmed.codePoints().filter(Character::isLetter).count() >= 4
                            && !translation.contains(trimmed)) {
                        parts.put(trimmed, key);
                    }
                }
            });
        }
        return parts;
    }

    /** Every pack message in {@code lang}, key to pattern. */
    private static Map<String, String> texts(String lang) {
        Map<String, String> texts = new LinkedHashMap<>();
        MESSAGE_SETS.forEach(set -> texts.putAll(MessageBundles.in(set).texts(lang)));
        return texts;
    }

    // --- helpers

    /** The language menu of keycloak.v2's page header: the entry of {@code lang}, then the page reloads in it. */
    private void chooseLanguage(String lang) {
        Select menu =
                new Select(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-select-toggle"))));
        List<String> offered = new ArrayList<>();
        for (WebElement option : menu.getOptions()) {
            String url = option.getAttribute("value");
            offered.add(url.replaceAll(".*kc_locale=([\\w-]+).*", "$1"));
            if (url.matches(".*[?&]kc_locale=" + lang + "(&.*)?")) {
                menu.selectByValue(url);
                wait.until(d -> lang.equals(htmlAttribute("lang")));
                return;
            }
        }
        throw new AssertionError("the language menu has no " + lang + ": " + offered);
    }

    /** Forgets the browser's Keycloak session and language cookies (all cookies, whatever page is open). */
    private void signOut() {
        ((ChromeDriver) driver).executeCdpCommand("Network.clearBrowserCookies", Map.of());
    }

    private String pageTitle() {
        return driver.findElement(By.id("kc-page-title")).getText().trim();
    }

    private String htmlAttribute(String name) {
        try {
            return driver.findElement(By.tagName("html")).getAttribute(name);
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return "";
        }
    }

    private Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /** Keycloak's themes JAR in the distribution the tests run. */
    private static Path themesJar() throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(
                keycloak.home().resolve("lib/lib/main"), "org.keycloak.keycloak-themes-[0-9]*.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        }
        throw new AssertionError("no keycloak-themes JAR in " + keycloak.home());
    }
}
