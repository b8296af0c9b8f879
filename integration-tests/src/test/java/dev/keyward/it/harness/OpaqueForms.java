package dev.keyward.it.harness;

import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Fills the OPAQUE pages (login-opaque.ftl, register-opaque.ftl) the way a user does; the page script does the rest. */
public final class OpaqueForms {
    public static final By LOGIN_FORM = By.cssSelector("form[data-keyward-opaque='login']");
    public static final By REGISTER_FORM = By.cssSelector("form[data-keyward-opaque='register']");
    /** An OPAQUE form whose page script has attached: before, its buttons are disabled. */
    public static final By READY = By.cssSelector("form[data-keyward-opaque][data-keyward-ready]");

    static final String INVALID = "Invalid username or password.";

    private OpaqueForms() {}

    /** Keycloak's own password form (login.ftl), e.g. for a user's legacy password before the OPAQUE one exists. */
    public static void keycloakPasswordLogin(WebDriver driver, WebDriverWait wait, String username, String password) {
        TestSecrets.record(TestSecrets.Kind.PASSWORD, password);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-form-login")));
        driver.findElement(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("kc-login")).click();
    }

    /** Submits the login form already on screen; returns it (stale once the page script has posted KE3). */
    public static WebElement login(WebDriver driver, WebDriverWait wait, String username, String password) {
        TestSecrets.record(TestSecrets.Kind.PASSWORD, password);
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(LOGIN_FORM));
        driver.findElement(By.id("username")).clear();
        driver.findElement(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        submit(driver, wait);
        return form;
    }

    /**
     * Like {@link #login}, also on a page for a user Keycloak already knows (re-authentication,
     * second factor), where the username is shown, not asked.
     */
    public static WebElement loginOrReauthenticate(
            WebDriver driver, WebDriverWait wait, String username, String password) {
        TestSecrets.record(TestSecrets.Kind.PASSWORD, password);
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(LOGIN_FORM));
        if (!driver.findElements(By.id("username")).isEmpty()) {
            return login(driver, wait, username, password);
        }
        driver.findElement(By.id("password")).sendKeys(password);
        submit(driver, wait);
        return form;
    }

    /**
     * Clicks the OPAQUE form's submit button ({@code kc-login} or {@code kc-submit}) once the page
     * script is ready and the button enabled: WebDriver clicks a disabled button without effect.
     */
    public static void submit(WebDriver driver, WebDriverWait wait, String buttonId) {
        wait.until(ExpectedConditions.presenceOfElementLocated(READY));
        wait.until(ExpectedConditions.elementToBeClickable(By.id(buttonId))).click();
    }

    /** Like {@link #submit(WebDriver, WebDriverWait, String)} for the sign-in form's {@code kc-login}. */
    public static void submit(WebDriver driver, WebDriverWait wait) {
        submit(driver, wait, "kc-login");
    }

    /** Waits for the registration page and sets {@code password} on it. */
    public static void register(WebDriver driver, WebDriverWait wait, String password) {
        TestSecrets.record(TestSecrets.Kind.PASSWORD, password);
        wait.until(ExpectedConditions.visibilityOfElementLocated(REGISTER_FORM));
        driver.findElement(By.id("password-new")).sendKeys(password);
        driver.findElement(By.id("password-confirm")).sendKeys(password);
        submit(driver, wait, "kc-submit");
    }

    /**
     * After a failed attempt: the realm's one message for every failure, and the login form. A
     * failed KE3 comes back as a new page; a failed legacy step (migration, also taken by half of
     * the unknown names) stays on the page and shows the message in its error area.
     */
    public static void awaitInvalid(WebDriver driver, WebDriverWait wait) {
        wait.until(d -> visibleText(d).contains(INVALID));
        wait.until(ExpectedConditions.visibilityOfElementLocated(LOGIN_FORM));
    }

    /** The page's visible text; empty while a navigation replaces the page. */
    public static String visibleText(WebDriver driver) {
        try {
            return driver.findElement(By.tagName("body")).getText();
        } catch (StaleElementReferenceException | NoSuchElementException e) {
            return "";
        }
    }
}
