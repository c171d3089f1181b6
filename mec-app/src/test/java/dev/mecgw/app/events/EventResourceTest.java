package dev.mecgw.app.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Alarm handling over REST on the real event log (issue 19 item 2, alarms/events). */
@QuarkusTest
class EventResourceTest {

    @Inject
    EventLog events;

    @Test
    void shouldStoreWhoAcknowledgedAndClearedAndRecordOperatorEventsWhenAnOperatorActs() {
        // Given an active, unacknowledged alarm
        String device = givenDevice();
        long id = givenEvent(device, "sensor.anomaly", "alarm");
        givenAdmin()
                .get("/api/v1/events?device=" + device + "&state=active&acknowledged=false")
                .then()
                .statusCode(200)
                .body("items.id", hasItem((int) id));

        // When it is acknowledged with a note
        givenAdmin()
                .body(Map.of("note", "crew on the way"))
                .post("/api/v1/events/" + id + "/acknowledge")
                .then()
                .statusCode(200)
                .body("acknowledged", equalTo(true))
                .body("active", equalTo(true))
                .body("ackedBy", equalTo(EventResource.TOKEN_USER))
                .body("ackedAt", notNullValue());

        // Then it is active and acknowledged, and the action is an operator event with the user's name
        givenAdmin()
                .get("/api/v1/events?device=" + device + "&state=active&acknowledged=false")
                .then()
                .body("items.id", not(hasItem((int) id)));
        JsonPath operator = givenAdmin()
                .get("/api/v1/events?device=" + device + "&kind=alarm.acknowledged")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(operator.getList("items")).hasSize(1);
        assertThat(operator.getString("items[0].payload.user")).isEqualTo(EventResource.TOKEN_USER);
        assertThat(operator.getLong("items[0].payload.event")).isEqualTo(id);
        assertThat(operator.getString("items[0].payload.note")).isEqualTo("crew on the way");

        // When it is cleared, and acknowledged again
        givenAdmin()
                .post("/api/v1/events/" + id + "/clear")
                .then()
                .statusCode(200)
                .body("active", equalTo(false))
                .body("clearedBy", equalTo(EventResource.TOKEN_USER));
        givenAdmin().post("/api/v1/events/" + id + "/acknowledge").then().statusCode(200);

        // Then it is listed as cleared, and the repeated acknowledgement recorded nothing
        givenAdmin()
                .get("/api/v1/events?device=" + device + "&state=cleared&severity=alarm")
                .then()
                .body("items.id", equalTo(List.of((int) id)));
        givenAdmin()
                .get("/api/v1/events?device=" + device + "&kind=alarm")
                .then()
                .body("items.kind", equalTo(List.of("alarm.cleared", "alarm.acknowledged")));
    }

    @Test
    void shouldGroupActiveAlarmsWorstFirstAndActOnAGroupWhenAskedWhatIsWrongNow() {
        // Given three warnings of one kind and an alarm on a device
        String device = givenDevice();
        for (int i = 0; i < 3; i++) {
            givenEvent(device, "telemetry.rejected", "warning");
        }
        long alarm = givenEvent(device, "sensor.anomaly", "alarm");

        // When
        JsonPath summary = givenAdmin()
                .get("/api/v1/events/summary?groups=500")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        // Then the alarm's group comes before the warnings' one, which counts three unacknowledged
        List<Map<String, Object>> groups = summary.getList("groups");
        List<Map<String, Object>> mine =
                groups.stream().filter(g -> device.equals(g.get("deviceId"))).toList();
        assertThat(mine).extracting(g -> g.get("kind")).containsExactly("sensor.anomaly", "telemetry.rejected");
        assertThat(mine.get(0).get("lastId")).isEqualTo((int) alarm);
        assertThat(mine.get(1).get("count")).isEqualTo(3);
        assertThat(mine.get(1).get("unacknowledged")).isEqualTo(3);
        assertThat(summary.getString("counts[0].severity")).isEqualTo("alarm");

        // When the warnings' group is acknowledged, then cleared
        givenAdmin()
                .body(Map.of("kind", "telemetry.rejected", "device", device))
                .post("/api/v1/events/acknowledge")
                .then()
                .statusCode(200)
                .body("count", equalTo(3));
        givenAdmin()
                .body(Map.of("kind", "telemetry.rejected", "device", device))
                .post("/api/v1/events/clear")
                .then()
                .statusCode(200)
                .body("count", equalTo(3));

        // Then only the alarm is still wrong on that device, and one operator event records each group action
        givenAdmin()
                .get("/api/v1/events?device=" + device + "&state=active")
                .then()
                .body("items.id", equalTo(List.of((int) alarm)));
        givenAdmin()
                .get("/api/v1/events?device=" + device + "&kind=alarm.cleared")
                .then()
                .body("items[0].payload.count", equalTo(3))
                .body("items[0].payload.eventKind", equalTo("telemetry.rejected"));
    }

    @Test
    void shouldAnswerProblemJsonNamingTheFieldWhenTheInputIsBad() {
        givenAdmin()
                .get("/api/v1/events?severity=critical")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("severity"));
        givenAdmin()
                .get("/api/v1/events?state=open&limit=0")
                .then()
                .statusCode(400)
                .body("errors.field", equalTo(List.of("state", "limit")));
        givenAdmin()
                .post("/api/v1/events/abc/acknowledge")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("id"));
        givenAdmin()
                .body(Map.of("note", "x".repeat(Alarms.MAX_NOTE + 1)))
                .post("/api/v1/events/" + givenEvent(givenDevice(), "x.y", "warning") + "/clear")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("note"));
        givenAdmin()
                .body(Map.of("device", "d1"))
                .post("/api/v1/events/acknowledge")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("kind"));
        givenAdmin().post("/api/v1/events/999999999/acknowledge").then().statusCode(404);
        givenAdmin()
                .post("/api/v1/events/" + givenEvent(givenDevice(), "x.y", "info") + "/acknowledge")
                .then()
                .statusCode(409)
                .body("detail", containsString("only warnings and alarms"));
        given().get("/api/v1/events").then().statusCode(401);
    }

    @Test
    void shouldPageWithTheNextCursorWhenThereAreMoreEventsThanTheLimit() {
        // Given three events on a device
        String device = givenDevice();
        long first = givenEvent(device, "x.page", "info");
        long second = givenEvent(device, "x.page", "info");
        long third = givenEvent(device, "x.page", "info");

        // When / then: two per page, newest first
        String next = givenAdmin()
                .get("/api/v1/events?device=" + device + "&limit=2")
                .then()
                .body("items.id", equalTo(List.of((int) third, (int) second)))
                .extract()
                .path("next");
        givenAdmin()
                .get("/api/v1/events?device=" + device + "&limit=2&before=" + next)
                .then()
                .body("items.id", equalTo(List.of((int) first)))
                .body("next", nullValue());
    }

    private long givenEvent(String device, String kind, String severity) {
        events.record(device, kind, severity, Map.of("n", UUID.randomUUID().toString()));
        return givenAdmin()
                .get("/api/v1/events?device=" + device + "&limit=1")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("items[0].id");
    }

    private static String givenDevice() {
        return "ev-" + UUID.randomUUID();
    }

    private static RequestSpecification givenAdmin() {
        return given().header("Authorization", "Bearer " + token()).contentType(ContentType.JSON);
    }

    private static String token() {
        return ConfigProvider.getConfig().getValue("mecgw.admin.token", String.class);
    }
}
