package dev.mecgw.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.mecgw.app.console.ConsoleLoginTest.Browser;
import dev.mecgw.app.events.EventLog;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: the alarms, sync, updates and cameras screens render for a viewer, and their operator actions are
 * refused to a viewer (403) and work for an operator, over HTTP.
 */
@QuarkusTest
class ConsoleScreensTest {

    private static final Pattern ACK = Pattern.compile("id=\"ack-(\\d+)\"");

    @Inject
    EventLog events;

    @Test
    void shouldListAlarmAndLetOperatorAcknowledgeWhenAlarmIsActive() {
        // given an active alarm and an operator
        String kind = givenAlarm();
        String name = ConsoleLoginTest.givenUser("operator");
        Browser operator = givenLoggedIn(name);
        // when
        String page =
                operator.get("/console/alarms").then().statusCode(200).extract().asString();
        // then
        assertThat(page).contains("What is wrong now", kind);
        long id = ackButton(page, kind);
        operator.post("/console/alarms/" + id + "/acknowledge", Map.of("back", "/console/alarms"))
                .then()
                .statusCode(303);
        operator.get("/console/alarms/live?acknowledged=true")
                .then()
                .statusCode(200)
                .body(containsString("acknowledged by " + name));
    }

    @Test
    void shouldHideAndRefuseAcknowledgeWhenUserIsViewer() {
        // given
        String kind = givenAlarm();
        Browser viewer = givenLoggedIn(ConsoleLoginTest.givenUser("viewer"));
        // when
        String page =
                viewer.get("/console/alarms").then().statusCode(200).extract().asString();
        // then
        assertThat(page).contains(kind).doesNotContain("Acknowledge</button>");
        viewer.post("/console/alarms/1/acknowledge", Map.of()).then().statusCode(403);
        viewer.post("/console/alarms/1/clear", Map.of()).then().statusCode(403);
    }

    @Test
    void shouldRenderEveryScreenWhenViewerOpensIt() {
        Browser viewer = givenLoggedIn(ConsoleLoginTest.givenUser("viewer"));
        for (String screen : new String[] {"alarms", "sync", "updates", "cameras"}) {
            viewer.get("/console/" + screen)
                    .then()
                    .statusCode(200)
                    .body(containsString("aria-current=\"page\""), not(containsString("not built yet")));
        }
    }

    @Test
    void shouldRefuseRolloutAndModelActionsWhenUserIsViewer() {
        Browser viewer = givenLoggedIn(ConsoleLoginTest.givenUser("viewer"));
        for (String action : new String[] {
            "/console/updates/r1/pause",
            "/console/updates/r1/resume",
            "/console/updates/r1/abort",
            "/console/cameras/models/m/versions/1/activate"
        }) {
            viewer.post(action, Map.of()).then().statusCode(403);
        }
    }

    @Test
    void shouldServeScreenFragmentsWhenHtmxPolls() {
        Browser viewer = givenLoggedIn(ConsoleLoginTest.givenUser("viewer"));
        viewer.get("/console/sync/live").then().statusCode(200).body(containsString("Backlog per class"));
        viewer.get("/console/updates/live").then().statusCode(200).body(containsString("Artifacts"));
        viewer.get("/console/cameras/live").then().statusCode(200).body(containsString("Models"));
        viewer.get("/console/cameras/thumbnails/../../etc/passwd").then().statusCode(404);
    }

    @Test
    void shouldDrawDetectionBoxesInFramePixelsWhenCameraHasResult() {
        // given a detection on a 640x480 frame
        String camera = "cam-" + UUID.randomUUID().toString().substring(0, 6);
        events.record(
                camera,
                "inference.detection",
                "info",
                Map.of(
                        "model",
                        "yolo",
                        "version",
                        "3",
                        "frameWidth",
                        640,
                        "frameHeight",
                        480,
                        "thumbnail",
                        camera + "/1.jpg",
                        "detections",
                        List.of(Map.of("label", "person", "score", 0.91, "box", List.of(10, 20, 110, 220)))));
        Browser viewer = givenLoggedIn(ConsoleLoginTest.givenUser("viewer"));
        // when
        String page =
                viewer.get("/console/cameras").then().statusCode(200).extract().asString();
        // then the SVG's view box is the frame, so the box keeps its place at any displayed size
        assertThat(page)
                .contains("id=\"camera-" + camera + "\"")
                .contains("viewBox=\"0 0 640 480\"")
                .contains("<rect class=\"box\" x=\"10.0\" y=\"20.0\" width=\"100.0\" height=\"200.0\">")
                .contains("person 0.91")
                .contains("/console/cameras/thumbnails/" + camera + "/1.jpg");
    }

    @Test
    void shouldListArtifactWhenOneIsStored() {
        // given
        String name = "fw-" + UUID.randomUUID().toString().substring(0, 6) + ".bin";
        io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + ConsoleLoginTest.TOKEN)
                .contentType("application/octet-stream")
                .body(new byte[] {1, 2, 3, 4})
                .put("/api/v1/artifacts/" + name)
                .then()
                .statusCode(org.hamcrest.Matchers.lessThan(300));
        Browser viewer = givenLoggedIn(ConsoleLoginTest.givenUser("viewer"));
        // then
        viewer.get("/console/updates").then().statusCode(200).body(containsString(name));
    }

    private String givenAlarm() {
        String kind = "test.alarm-" + UUID.randomUUID().toString().substring(0, 6);
        events.record(null, kind, "alarm", Map.of("reason", "screen test"));
        return kind;
    }

    private static long ackButton(String page, String kind) {
        int row = page.indexOf(kind);
        Matcher m = ACK.matcher(page);
        assertThat(m.find(row)).as("an acknowledge button after %s", kind).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Logs the user in and replaces its first password, as the console requires. */
    static Browser givenLoggedIn(String user) {
        Browser browser = Browser.login(user, "first-password-1");
        browser.post(
                        "/console/password",
                        Map.of(
                                "current",
                                "first-password-1",
                                "password",
                                "screens-pass-22",
                                "confirm",
                                "screens-pass-22"))
                .then()
                .statusCode(303);
        return browser;
    }
}
