package dev.keyward.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * axe-core (from npm, installed with the test Node packages into {@code target/node-client}) run
 * on the page the browser shows, with the WCAG 2.0, 2.1 and 2.2 level A and AA rules, in the four
 * ways people meet a page: light and dark ({@code prefers-color-scheme}, which keycloak.v2 follows),
 * each on a desktop window and on a 320 px phone (WCAG 1.4.10 reflow). The script is injected
 * through WebDriver, which DevTools evaluates outside the page's Content-Security-Policy: the pages
 * are checked with the CSP they ship.
 *
 * <p>Each run's violations are written to {@code target/axe/<page>-<variant>.json}; {@link #check}
 * fails listing them all. No rule is disabled; {@link #IGNORED} lists the elements of Keycloak's
 * own templates that the pack does not render and that axe cannot judge rightly, with why.
 */
public final class Axe {
    /** The WCAG 2.2 A and AA rules, as axe tags them (2.2 adds AA rules only). */
    private static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");

    /** Nothing yet: every violation fails. */
    private static final List<String> IGNORED = List.of();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NARROW = 320;
    private static String source;

    private Axe() {}

    /** One way of showing the page. */
    public enum Variant {
        LIGHT(false, false),
        DARK(true, false),
        LIGHT_320(false, true),
        DARK_320(true, true);

        final boolean dark;
        final boolean narrow;

        Variant(boolean dark, boolean narrow) {
            this.dark = dark;
            this.narrow = narrow;
        }
    }

    /**
     * Runs axe on the page as it is now, in every {@link Variant}, and fails with every violation
     * found. The page is left as it was (light, desktop).
     *
     * @param name the page's name in the report files and the failure message
     */
    public static void check(ChromeDriver driver, String name) {
        List<String> found = new ArrayList<>();
        for (Variant variant : Variant.values()) {
            found.addAll(run(driver, name, variant));
        }
        if (!found.isEmpty()) {
            throw new AssertionError(
                    name + ": " + found.size() + " axe-core violation(s)\n" + String.join("\n", found));
        }
    }

    /** The violations of one variant, one line per element: rule, impact, element, what to fix. */
    public static List<String> run(ChromeDriver driver, String name, Variant variant) {
        try {
            show(driver, variant);
            JavascriptExecutor js = driver;
            if (!Boolean.TRUE.equals(js.executeScript("return !!window.axe;"))) {
                // as WebDriver's own script, not eval in the page: the page's CSP forbids eval
                js.executeScript(source());
            }
            JsonNode violations = JSON.readTree((String) js.executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]},"
                            + " resultTypes: ['violations']})"
                            + ".then(r => done(JSON.stringify(r.violations)),"
                            + " e => done(JSON.stringify([{id: 'axe-error', impact: 'error',"
                            + " help: String(e), nodes: [{target: ['document'], failureSummary: ''}]}])));",
                    TAGS));
            Path report = reportDir()
                    .resolve(name.replaceAll("[^\\w.-]+", "-") + "-"
                            + variant.name().toLowerCase(java.util.Locale.ROOT) + ".json");
            Files.writeString(report, violations.toPrettyString(), StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>();
            for (JsonNode violation : violations) {
                for (JsonNode node : violation.path("nodes")) {
                    String target = node.path("target").toString();
                    if (IGNORED.contains(violation.path("id").asText() + " " + target)) {
                        continue;
                    }
                    lines.add("  [" + variant + "] " + violation.path("id").asText() + " ("
                            + violation.path("impact").asText() + ", "
                            + violation.path("help").asText() + ") " + target + ": "
                            + node.path("failureSummary").asText().replace('\n', ' '));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            show(driver, Variant.LIGHT);
        }
    }

    /**
     * Emulates the variant's colour scheme and width, and waits until keycloak.v2's page script has
     * followed the scheme (it puts {@code pf-v5-theme-dark} on {@code <html>}; pages of other themes
     * have no such script and are checked as they render).
     */
    public static void show(ChromeDriver driver, Variant variant) {
        driver.executeCdpCommand(
                "Emulation.setEmulatedMedia",
                Map.of(
                        "features",
                        List.of(Map.of("name", "prefers-color-scheme", "value", variant.dark ? "dark" : "light"))));
        if (variant.narrow) {
            driver.executeCdpCommand(
                    "Emulation.setDeviceMetricsOverride",
                    Map.of("width", NARROW, "height", 720, "deviceScaleFactor", 1, "mobile", true));
        } else {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> (Boolean) ((JavascriptExecutor) d)
                .executeScript(
                        "const themed = !!document.querySelector('meta[name=color-scheme][content*=dark]');"
                                + "return !themed || document.documentElement.classList.contains('pf-v5-theme-dark')"
                                + " === arguments[0];",
                        variant.dark));
    }

    private static synchronized String source() {
        if (source == null) {
            Path file = Path.of(ItConfig.get("keyward.it.node.client.dir", "target/node-client"))
                    .resolve("node_modules/axe-core/axe.min.js");
            try {
                source = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("axe-core is not installed at " + file, e);
            }
        }
        return source;
    }

    private static Path reportDir() throws IOException {
        Path dir = Path.of(ItConfig.get("keyward.it.work.dir", "target")).resolve("axe");
        Files.createDirectories(dir);
        return dir;
    }
}
