package dev.mecgw.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;

/**
 * Issue 19 in a real browser against the packaged gateway: an operator acknowledges an alarm on the alarms screen,
 * a viewer sees no acknowledge button and its post is refused 403, and the alarms, sync, updates and cameras screens
 * render (screenshots into {@code docs/console/}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleScreensIT extends ConsoleBrowser {

    private static final Pattern DATABASE = Pattern.compile("embedded PostgreSQL (jdbc:postgresql://\\S+)");

    private static long alarm;

    @Test
    @Order(1)
    void shouldAcknowledgeAlarmWhenOperatorClicksAcknowledge() throws Exception {
        // given an active alarm and an operator on the alarms screen
        String kind = "pump.overheat-" + UUID.randomUUID().toString().substring(0, 4);
        alarm = givenAlarm(kind);
        loginAsNewUser("operator");
        open("/console/alarms");
        assertThat(byId("wrong-now").getText()).contains(kind);
        screenshot("alarms");
        // when
        byId("ack-" + alarm).click();
        // then the row says who acknowledged it, and the button is gone
        waitUntil(d -> d.findElement(By.id("event-" + alarm)).getText().contains("acknowledged by"));
        assertThat(driver.findElements(By.id("ack-" + alarm))).isEmpty();
    }

    @Test
    @Order(2)
    void shouldHideAndRefuseAcknowledgeWhenUserIsViewer() throws Exception {
        // given a second, unacknowledged alarm and a viewer
        long other = givenAlarm("valve.stuck-" + UUID.randomUUID().toString().substring(0, 4));
        loginAsNewUser("viewer");
        // when
        open("/console/alarms");
        // then
        assertThat(byId("event-" + other).getText()).contains("valve.stuck");
        assertThat(driver.findElements(By.id("ack-" + other))).isEmpty();
        assertThat(postAsBrowser("/console/alarms/" + other + "/acknowledge")).isEqualTo(403);
    }

    @Test
    @Order(4)
    void shouldShowNewAlarmWithoutReloadWhenItIsRaised() throws Exception {
        // given a viewer on the alarms screen, marked so that a reload would show
        loginAsNewUser("viewer");
        open("/console/alarms");
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("window.mecgwNotReloaded = true;");
        // when a new alarm is raised
        String kind = "tank.level-" + UUID.randomUUID().toString().substring(0, 4);
        long raised = givenAlarm(kind);
        // then "what is wrong now" shows it, pushed over SSE, on the same page
        waitUntil(d -> d.findElement(By.id("wrong-now")).getText().contains(kind));
        String event = waitUntil(d -> d.findElement(By.id("event-" + raised)).getText());
        assertThat(event).contains(kind);
        assertThat(((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return window.mecgwNotReloaded;"))
                .isEqualTo(true);
    }

    @Test
    @Order(3)
    void shouldRenderSyncUpdatesAndCamerasScreensWhenOpened() throws Exception {
        loginAsNewUser("operator");
        open("/console/sync");
        byId("backlog");
        screenshot("sync");
        open("/console/updates");
        byId("artifacts");
        screenshot("updates");
        givenDetection("dock-cam-1");
        open("/console/cameras");
        waitUntil(d -> d.findElement(By.cssSelector("#camera-dock-cam-1 svg rect.box")));
        screenshot("cameras");
    }

    /** A form post with the browser's session and CSRF token: only the role can refuse it. */
    private static int postAsBrowser(String path) throws Exception {
        String session =
                driver.manage().getCookieNamed(ConsoleAuthFilter.COOKIE).getValue();
        String csrf =
                driver.manage().getCookieNamed(BearerCsrfExemption.CSRF_COOKIE).getValue();
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url(path)))
                                .header(
                                        "Cookie",
                                        ConsoleAuthFilter.COOKIE + "=" + session + "; "
                                                + BearerCsrfExemption.CSRF_COOKIE + "=" + csrf)
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("csrf-token=" + csrf))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    /** A camera's newest result as the vision pipeline leaves it: a thumbnail file and a detection event. */
    private static void givenDetection(String camera) throws Exception {
        System.setProperty("java.awt.headless", "true");
        java.nio.file.Path file =
                gateway.dataDir().resolve("thumbnails").resolve(camera).resolve("1.jpg");
        Files.createDirectories(file.getParent());
        java.awt.image.BufferedImage image =
                new java.awt.image.BufferedImage(320, 240, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(new java.awt.Color(70, 90, 110));
        g.fillRect(0, 0, 320, 240);
        g.setColor(new java.awt.Color(200, 200, 190));
        g.fillRect(60, 50, 80, 150);
        g.dispose();
        javax.imageio.ImageIO.write(image, "jpg", file.toFile());
        insertEvent(
                camera,
                "inference.detection",
                "info",
                "{\"model\":\"yolo-dock\",\"version\":\"2\",\"frameWidth\":640,\"frameHeight\":480,"
                        + "\"thumbnail\":\"" + camera + "/1.jpg\",\"detections\":[{\"label\":\"person\","
                        + "\"score\":0.93,\"box\":[120,100,280,400]}]}");
    }

    /** Writes an active site-wide alarm into the gateway's own database, as a failing subsystem would. */
    private static long givenAlarm(String kind) throws Exception {
        return insertEvent(null, kind, "alarm", "{\"reason\":\"browser test\"}");
    }

    /** Inserts an event row into the gateway's own database; returns its id. */
    private static long insertEvent(String device, String kind, String severity, String payload) throws Exception {
        Matcher url = DATABASE.matcher(gateway.logText());
        assertThat(url.find())
                .as("the embedded database in the start-up report")
                .isTrue();
        String password =
                Files.readString(gateway.dataDir().resolve("postgres-password")).strip();
        try (Connection c = DriverManager.getConnection(url.group(1), "postgres", password);
                PreparedStatement ps = c.prepareStatement("INSERT INTO events (device_id, kind, severity, payload)"
                        + " VALUES (?, ?, ?, ?::jsonb) RETURNING id")) {
            ps.setString(1, device);
            ps.setString(2, kind);
            ps.setString(3, severity);
            ps.setString(4, payload);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
