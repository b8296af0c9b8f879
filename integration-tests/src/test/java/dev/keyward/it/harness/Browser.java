package dev.keyward.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium, headless, through Debian's chromedriver. Both paths are given explicitly so
 * Selenium Manager never looks for (or downloads) a browser or driver; {@code SE_OFFLINE} is set
 * as well, as a second guard. Each browser gets a fresh profile directory: no cookies, no state.
 * The browser speaks English ({@code --lang} and the Accept-Language preference), whatever the
 * machine's locale. Settings: {@code keyward.it.chromium} (/usr/bin/chromium), {@code keyward.it.chromedriver} (/usr/bin/chromedriver).
 *
 * <p>Started with {@code captureRequests}, the browser records every request its pages send, with
 * the body ({@link #requests()}): Chrome's performance log ({@code goog:loggingPrefs}
 * performance=ALL) carries DevTools' {@code Network.requestWillBeSent} events, which works with any
 * Chromium version (no version-bound Selenium DevTools classes).
 */
public final class Browser implements AutoCloseable {
    static {
        System.setProperty("SE_OFFLINE", "true");
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChromeDriver driver;
    private final Path profile;
    private final boolean captureRequests;
    private final List<SentRequest> requests = new ArrayList<>();

    /**
     * One request a page sent.
     *
     * @param url the URL, query included
     * @param method the HTTP method
     * @param body the body as text (UTF-8), empty when there was none
     */
    public record SentRequest(String url, String method, String body) {}

    private Browser(ChromeDriver driver, Path profile, boolean captureRequests) {
        this.driver = driver;
        this.profile = profile;
        this.captureRequests = captureRequests;
    }

    public static Browser start(Path workDir) {
        return start(workDir, false);
    }

    /** @param captureRequests record the requests pages send, for {@link #requests()} */
    public static Browser start(Path workDir, boolean captureRequests) {
        String chromium = ItConfig.get("keyward.it.chromium", "/usr/bin/chromium");
        String chromedriver = ItConfig.get("keyward.it.chromedriver", "/usr/bin/chromedriver");
        try {
            Files.createDirectories(workDir);
            Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
            ChromeOptions options = new ChromeOptions()
                    .setBinary(chromium)
                    .addArguments(
                            "--headless=new",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-dev-shm-usage",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--no-first-run",
                            "--window-size=1280,1024",
                            // English pages: the demo realm has every language on and picks one
                            // from Accept-Language; LanguagesIT switches with the page's own menu
                            "--lang=en-US",
                            "--user-data-dir=" + profile)
                    .setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US,en"));
            if (captureRequests) {
                LoggingPreferences logs = new LoggingPreferences();
                logs.enable(LogType.PERFORMANCE, Level.ALL);
                options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
            }
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(chromedriver))
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            return new Browser(driver, profile, captureRequests);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /**
     * Every request the browser's pages sent since it started, in order (a redirect shows as the
     * next request). A body that the log announces ({@code hasPostData}) but does not carry is
     * fetched with {@code Network.getRequestPostData}; if that fails too, this throws rather than
     * return a capture that silently misses a body.
     *
     * @return the requests so far
     * @throws IllegalStateException if the browser was not started with {@code captureRequests},
     *     or a body could not be captured
     */
    public synchronized List<SentRequest> requests() {
        if (!captureRequests) {
            throw new IllegalStateException("started without captureRequests");
        }
        // reading the log empties it: keep what was read
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message;
            try {
                message = JSON.readTree(entry.getMessage()).path("message");
            } catch (IOException e) {
                throw new IllegalStateException("unreadable performance log entry", e);
            }
            if (!"Network.requestWillBeSent".equals(message.path("method").asText())) {
                continue;
            }
            JsonNode params = message.path("params");
            JsonNode request = params.path("request");
            String url =
                    request.path("url").asText() + request.path("urlFragment").asText("");
            requests.add(new SentRequest(
                    url,
                    request.path("method").asText(),
                    body(params.path("requestId").asText(), request)));
        }
        return List.copyOf(requests);
    }

    private String body(String requestId, JsonNode request) {
        if (request.hasNonNull("postData")) {
            return request.get("postData").asText();
        }
        if (request.path("postDataEntries").isArray()
                && !request.path("postDataEntries").isEmpty()) {
            StringBuilder body = new StringBuilder();
            for (JsonNode part : request.get("postDataEntries")) {
                body.append(
                        new String(Base64.getDecoder().decode(part.path("bytes").asText("")), StandardCharsets.UTF_8));
            }
            return body.toString();
        }
        if (!request.path("hasPostData").asBoolean(false)) {
            return "";
        }
        try {
            Map<String, Object> answer =
                    driver.executeCdpCommand("Network.getRequestPostData", Map.of("requestId", requestId));
            return String.valueOf(answer.get("postData"));
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "the body of " + request.path("method").asText() + " "
                            + request.path("url").asText() + " could not be captured",
                    e);
        }
    }

    /** Saves a PNG screenshot and the page's HTML next to it. */
    public void capture(Path pngFile) {
        try {
            Files.createDirectories(pngFile.getParent());
            Files.write(pngFile, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            String html = pngFile.getFileName().toString().replaceFirst("\\.png$", ".html");
            Files.writeString(pngFile.resolveSibling(html), driver.getCurrentUrl() + "\n" + driver.getPageSource());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try {
                DistributionCopy.deleteRecursively(profile);
            } catch (IOException e) {
                System.err.println("could not delete " + profile + ": " + e);
            }
        }
    }
}
