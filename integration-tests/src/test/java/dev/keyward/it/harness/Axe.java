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
import java.util.Set;
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
 * fails listing them all. No rule is disabled; {@link #KEYCLOAK_V2_DEFECTS} lists the elements
 * of Keycloak's own layout (not the pack's) that fail under stock keycloak.v2, with why.
 */
public final class Axe {
    /** The WCAG 2.2 A and AA rules, as axe tags them (2.2 adds AA rules only). */
    private static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");

    /**
     * Defects of Keycloak's stock {@code keycloak.v2} layout around the pack's pages (rule id,
     * space, element as axe targets it), with why: {@link #checkUnder} a page of that theme ignores
     * them. The {@code keyward} theme fixes them, so there they fail.
     */
    public static final Map<String, String> KEYCLOAK_V2_DEFECTS = Map.of(
            "label [\"#kc-attempted-username\"]",
            "keycloak.v2's template.ftl shows a known user's name in input#kc-attempted-username under"
                    + " <label for=\"username\">, which names no element; the keyward theme's"
                    + " js/keyward-theme.js points the label at the field",
            "reflow .kc-tooltip-text",
            "keycloak.v2's \"restart login\" tooltip next to that name is laid out, hidden, to the right"
                    + " of its button and widens a 320 px page; keyward.css puts it below the button");

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
        checkUnder(driver, name, Map.of());
    }

    /**
     * Like {@link #check}, ignoring the {@code known} defects (rule id, space, element as axe
     * targets it, e.g. {@link #KEYCLOAK_V2_DEFECTS}). Each variant runs twice: as loaded, and for
     * colour contrast once more with the page's primary button focused (the colours a keyboard
     * user sees on it).
     */
    public static void checkUnder(ChromeDriver driver, String name, Map<String, String> known) {
        List<String> found = new ArrayList<>();
        for (Variant variant : Variant.values()) {
            found.addAll(run(driver, name, variant, false, known.keySet()));
            found.addAll(run(driver, name, variant, true, known.keySet()));
        }
        if (!found.isEmpty()) {
            throw new AssertionError(
                    name + ": " + found.size() + " axe-core violation(s)\n" + String.join("\n", found));
        }
    }

    /** The violations of one variant, one line per element: rule, impact, element, what to fix. */
    public static List<String> run(ChromeDriver driver, String name, Variant variant) {
        return run(driver, name, variant, false, Set.of());
    }

    private static List<String> run(
            ChromeDriver driver, String name, Variant variant, boolean focused, Set<String> known) {
        try {
            show(driver, variant);
            List<String> lines = new ArrayList<>();
            String prefix = "  [" + variant + (focused ? ", focused" : "") + "] ";
            if (focused) {
                Object missed = driver.executeScript(
                        "const b = document.querySelector('.pf-m-primary, .btn-primary, button[type=submit]');"
                                + " if (!b || b.disabled) { return null; }"
                                + " b.focus(); return document.activeElement === b ? null : b.outerHTML;");
                if (missed != null) {
                    lines.add(prefix + "focus (the primary button cannot be focused) " + missed);
                }
            }
            if (variant.narrow && !focused) {
                // WCAG 1.4.10 reflow, which axe has no rule for: nothing wider than the screen, but
                // for known defects ("reflow <selector>": elements inside those may stick out)
                List<String> allowed = known.stream()
                        .filter(k -> k.startsWith("reflow "))
                        .map(k -> k.substring("reflow ".length()))
                        .toList();
                Object wide = driver.executeScript(
                        "const w = document.documentElement.clientWidth, allowed = arguments[0];"
                                + " if (document.documentElement.scrollWidth <= w) { return null; }"
                                + " const out = [];"
                                + " for (const e of document.querySelectorAll('body *')) {"
                                + "   const r = e.getBoundingClientRect();"
                                + "   if (r.width > 0 && (r.right > w + 0.5 || r.left < -0.5)"
                                + "       && !allowed.some(a => e.closest(a))) {"
                                + "     out.push(e.tagName + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')"
                                + "         + ' ' + Math.round(r.left) + '..' + Math.round(r.right));"
                                + "   }"
                                + " }"
                                + " return out.length === 0 ? null : document.documentElement.scrollWidth + ' px wide on '"
                                + "     + w + ' px: ' + out.slice(0, 8).join('; ');",
                        allowed);
                if (wide != null) {
                    lines.add(prefix + "reflow (content wider than the screen) " + wide);
                }
            }
            if (!Boolean.TRUE.equals(driver.executeScript("return !!window.axe;"))) {
                // as WebDriver's own script, not eval in the page: the page's CSP forbids eval
                driver.executeScript(source());
            }
            JsonNode violations = JSON.readTree((String) driver.executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + "axe.run(document, {runOnly: arguments[0] ? {type: 'rule', values: ['color-contrast']}"
                            + " : {type: 'tag', values: arguments[1]}, resultTypes: ['violations']})"
                            + ".then(r => done(JSON.stringify(r.violations)),"
                            + " e => done(JSON.stringify([{id: 'axe-error', impact: 'error',"
                            + " help: String(e), nodes: [{target: ['document'], failureSummary: ''}]}])));",
                    focused,
                    TAGS));
            Path report = reportDir()
                    .resolve(name.replaceAll("[^\\w.-]+", "-") + "-"
                            + variant.name().toLowerCase(java.util.Locale.ROOT) + (focused ? "-focused" : "")
                            + ".json");
            Files.writeString(report, violations.toPrettyString(), StandardCharsets.UTF_8);
            for (JsonNode violation : violations) {
                for (JsonNode node : violation.path("nodes")) {
                    String target = node.path("target").toString();
                    if (known.contains(violation.path("id").asText() + " " + target)) {
                        continue;
                    }
                    lines.add(prefix
                            + violation.path("id").asText() + " ("
                            + violation.path("impact").asText() + ", "
                            + violation.path("help").asText() + ") " + target + ": "
                            + node.path("failureSummary").asText().replace('\n', ' '));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (focused) {
                driver.executeScript("if (document.activeElement) { document.activeElement.blur(); }");
            }
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
