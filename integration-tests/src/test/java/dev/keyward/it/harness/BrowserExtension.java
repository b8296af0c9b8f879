package dev.keyward.it.harness;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.WebDriver;

/**
 * A fresh headless Chromium for every test ({@code @RegisterExtension static final BrowserExtension browser = ...}),
 * quit after it. When a test fails, the page it was on is saved to
 * {@code target/screenshots/<class>.<method>.png} (+ .html) before the browser goes away.
 */
public final class BrowserExtension implements BeforeEachCallback, AfterEachCallback, TestExecutionExceptionHandler {
    private final Path workDir =
            Path.of(ItConfig.get("keyward.it.work.dir", "target")).toAbsolutePath();
    private Browser browser;
    private boolean captureRequests;

    /** Each test's browser records the requests its pages send: {@link #requests()}. */
    public BrowserExtension capturingRequests() {
        captureRequests = true;
        return this;
    }

    public WebDriver driver() {
        return current().driver();
    }

    /** The requests this test's browser sent so far, bodies included (needs {@link #capturingRequests()}). */
    public List<Browser.SentRequest> requests() {
        return current().requests();
    }

    /** Saves a screenshot of this test's browser (and the page's HTML next to it). */
    public void capture(java.nio.file.Path pngFile) {
        current().capture(pngFile);
    }

    /** Saves a screenshot as {@code target/screenshots/<name>.png}: pages the docs show are taken from a run. */
    public void screenshot(String name) {
        capture(workDir.resolve("screenshots").resolve(name + ".png"));
    }

    private Browser current() {
        if (browser == null) {
            throw new IllegalStateException("the browser exists only while a test runs");
        }
        return browser;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        browser = Browser.start(workDir.resolve("browser"), captureRequests);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (browser != null) {
            String name = context.getRequiredTestClass().getSimpleName() + "."
                    + context.getRequiredTestMethod().getName();
            try {
                browser.capture(workDir.resolve("screenshots").resolve(name + ".png"));
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        throw failure;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }
}
