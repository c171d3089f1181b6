package dev.mecgw.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.gateway.GatewayProcess;
import dev.mecgw.testsupport.net.FreePorts;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Base of the console's browser tests (issue 19): the packaged gateway ({@link GatewayProcess}, one per test
 * class, with its own data directory and free MQTT port) and a headless Debian Chromium driven by Selenium.
 * A subclass is a {@code *IT} (Failsafe, after {@code package}); it logs in with {@link #loginAsNewUser} or
 * {@link #loginAsAdmin}, navigates with {@link #open}, waits with {@link #waitUntil} (never sleeps), and saves
 * screenshots into {@code docs/console/} with {@link #screenshot}. Without Chromium the class is skipped with
 * one line, except under {@code CI=true}, where that fails.
 */
abstract class ConsoleBrowser {

    static final String TOKEN = "console-it-admin-token";
    static final String FIRST_PASSWORD = "first-password-1";
    static final String PASSWORD = "console-password-2";
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    protected static GatewayProcess gateway;
    protected static int mqttPort;
    protected static WebDriver driver;
    private static Path userData;

    /** Starts the gateway and the browser (skips or fails first when Chromium is missing). */
    @BeforeAll
    static void startGatewayAndBrowser() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(installed, "chromium/chromium-driver not installed: console browser tests skipped");
        }
        assertThat(installed).as("apt-get install chromium chromium-driver").isTrue();
        mqttPort = freePort();
        Path dir = Path.of("target", "console-it", UUID.randomUUID().toString().substring(0, 8));
        Map<String, String> env = new HashMap<>(Map.of(
                "MECGW_ADMIN_TOKEN", TOKEN,
                "MECGW_MQTT_PORT", Integer.toString(mqttPort),
                "MECGW_MQTT_HOST", "127.0.0.1",
                "MECGW_CREDENTIALS_PBKDF2_ITERATIONS", "10000",
                "MECGW_CONSOLE_PBKDF2_ITERATIONS", "10000"));
        // quarkus-rest-csrf answers a refused form post with a bare 400 and says why only at DEBUG: the gateway's
        // log then names the reason (no cookie, no token, wrong value) if a login is refused again (12-07 02:15)
        env.put("QUARKUS_LOG_CATEGORY__IO_QUARKUS_CSRF__LEVEL", "DEBUG");
        gateway = new GatewayProcess(dir.resolve("data"), env);
        gateway.start(List.of());
        userData = Files.createTempDirectory("console-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1280,720",
                "--user-data-dir=" + userData.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopBrowserAndGateway() throws Exception {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            driver = null;
            if (gateway != null) {
                gateway.close();
                gateway = null;
            }
        }
    }

    /** The URL of a gateway path, e.g. {@code /console/devices}. */
    protected static String url(String path) {
        return "http://127.0.0.1:" + gateway.httpPort() + path;
    }

    /** Loads a page in the browser. */
    protected static void open(String path) {
        driver.get(url(path));
    }

    /**
     * Waits (at most 30 s, a bound that only ends a hung test) until the condition holds; returns its value. A live
     * region swapped by htmx between finding an element and reading it makes the element stale: that is the page
     * updating, so the condition is tried again rather than failing the test (a CI run failed on it once).
     */
    protected static <T> T waitUntil(Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(30))
                    .ignoring(StaleElementReferenceException.class)
                    .until(condition);
        } catch (TimeoutException e) {
            throw new AssertionError(
                    e.getMessage().lines().findFirst().orElse("timed out") + "; " + whereTheBrowserIs(), e);
        }
    }

    /**
     * What the browser shows when a wait runs out: its URL, the HTTP status and kind of the navigation that loaded the
     * document (a login form refused with 400 stays on /console/login just like a form never sent; soak run of 12-07
     * 02:15 could not tell them apart), and the start of the page's text.
     */
    static String whereTheBrowserIs() {
        try {
            Object navigation = ((JavascriptExecutor) driver)
                    .executeScript("var n = performance.getEntriesByType('navigation')[0];"
                            + " return n ? n.type + ' ' + n.responseStatus + ' ' + n.name : 'no navigation entry';");
            String text = driver.findElement(By.tagName("body")).getText().replaceAll("\\s+", " ");
            return String.format(
                    "browser at %s (navigation: %s), page text: %s",
                    driver.getCurrentUrl(), navigation, text.substring(0, Math.min(400, text.length())));
        } catch (RuntimeException e) {
            return "browser state unreadable: " + e;
        }
    }

    /** The element with this id, once it is on the page. */
    protected static WebElement byId(String id) {
        return waitUntil(d -> d.findElement(By.id(id)));
    }

    /**
     * Creates a console user through the admin API and logs it in, changing its first password; the browser
     * then shows the overview.
     *
     * @return the user name
     */
    protected static String loginAsNewUser(String role) throws Exception {
        String name = role + "-" + UUID.randomUUID().toString().substring(0, 6);
        HttpResponse<String> created = gateway.post(
                "/api/v1/console/users",
                TOKEN,
                "{\"username\":\"" + name + "\",\"role\":\"" + role + "\",\"password\":\"" + FIRST_PASSWORD + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        login(name, FIRST_PASSWORD);
        changePassword(FIRST_PASSWORD, PASSWORD);
        return name;
    }

    /** Logs in as {@code admin} with the password from its file, changing it at first login. */
    protected static void loginAsAdmin() throws IOException {
        Path file = gateway.dataDir().resolve(ConsoleAccess.ADMIN_PASSWORD_FILE);
        String first = Files.readString(file, StandardCharsets.UTF_8).strip();
        login(ConsoleAccess.ADMIN, first);
        if (driver.getCurrentUrl().endsWith("/console/password")) {
            changePassword(first, PASSWORD);
        }
    }

    /** Fills and sends the login form (a fresh session: the browser's cookies are cleared first). */
    protected static void login(String user, String password) {
        open("/console/login");
        driver.manage().deleteAllCookies();
        open("/console/login");
        byId("username").sendKeys(user);
        byId("password").sendKeys(password);
        byId("login").click();
        waitUntil(d -> !d.getCurrentUrl().contains("/console/login"));
    }

    /** Fills and sends the password form; the browser then shows the overview. */
    protected static void changePassword(String current, String next) {
        waitUntil(d -> d.getCurrentUrl().endsWith("/console/password"));
        byId("current").sendKeys(current);
        byId("new-password").sendKeys(next);
        byId("confirm").sendKeys(next);
        byId("change-password").click();
        waitUntil(d -> !d.getCurrentUrl().endsWith("/console/password"));
    }

    /** Saves what the browser shows as {@code docs/console/<name>.png} of the repository. */
    protected static void screenshot(String name) throws IOException {
        Path docs = Path.of("..", "docs", "console");
        Files.createDirectories(docs);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), docs.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A port for the gateway process to bind seconds from now: not from the ephemeral range ({@link FreePorts}). */
    private static int freePort() throws IOException {
        return FreePorts.tcp();
    }
}
