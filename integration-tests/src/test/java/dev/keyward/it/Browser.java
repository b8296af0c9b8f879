package dev.keyward.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, through Debian's chromedriver. Both paths are given explicitly so
 * Selenium Manager never looks for (or downloads) a browser or driver; {@code SE_OFFLINE} is set
 * as well, as a second guard. Each browser gets a fresh profile directory: no cookies, no state.
 * Settings: {@code keyward.it.chromium} (/usr/bin/chromium), {@code keyward.it.chromedriver} (/usr/bin/chromedriver).
 */
public final class Browser implements AutoCloseable {
    static {
        System.setProperty("SE_OFFLINE", "true");
    }

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    public static Browser start(Path workDir) {
        String chromium = ItConfig.get("keyward.it.chromium", "/usr/bin/chromium");
        String chromedriver = ItConfig.get("keyward.it.chromedriver", "/usr/bin/chromedriver");
        try {
            Files.createDirectories(workDir);
            Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
            ChromeOptions options = new ChromeOptions().setBinary(chromium).addArguments(
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=1280,1024", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            return new Browser(driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
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
