package dev.mecgw.app.telemetry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TelemetryQueryResourceTest {

    @Inject
    TelemetryStore store;

    @Test
    void shouldReturnReadingsNewestFirstWhenDeviceHasTelemetry() {
        // given
        String id = givenADevice();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        store.append(List.of(
                new Reading(id, "temp", t0, 20.5),
                new Reading(id, "temp", t0.plusSeconds(10), 21.0),
                new Reading(id, "hum", t0.plusSeconds(20), 40)));
        // when / then
        admin().get("/api/v1/devices/" + id + "/telemetry")
                .then()
                .statusCode(200)
                .body("$", hasSize(3))
                .body("metric", contains("hum", "temp", "temp"))
                .body("value", contains(40.0f, 21.0f, 20.5f))
                .body("[0].ts", equalTo(t0.plusSeconds(20).toString()));
        admin().get("/api/v1/devices/" + id + "/telemetry?metric=temp&limit=1")
                .then()
                .statusCode(200)
                .body("value", contains(21.0f));
        admin().get("/api/v1/devices/" + id + "/telemetry?from=" + t0.plusSeconds(5) + "&to=" + t0.plusSeconds(15))
                .then()
                .statusCode(200)
                .body("value", contains(21.0f));
    }

    @Test
    void shouldIgnoreDuplicatesWhenTheSameReadingIsAppendedTwice() {
        String id = givenADevice();
        Instant ts = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Reading> batch = List.of(new Reading(id, "temp", ts, 1.0));
        org.assertj.core.api.Assertions.assertThat(store.append(batch)).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThat(store.append(batch)).isZero();
        admin().get("/api/v1/devices/" + id + "/telemetry").then().body("$", hasSize(1));
    }

    @Test
    void shouldAnswer404And400WhenDeviceIsUnknownOrRangeIsMalformed() {
        admin().get("/api/v1/devices/unknown-" + UUID.randomUUID() + "/telemetry")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        String id = givenADevice();
        admin().get("/api/v1/devices/" + id + "/telemetry?from=yesterday")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("from"));
        admin().get("/api/v1/devices/" + id + "/telemetry?limit=0")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }

    private static String givenADevice() {
        String id = "tel-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body("{\"id\":\"" + id + "\",\"type\":\"sensor\"}")
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        return id;
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", "Bearer test-admin-token").contentType(ContentType.JSON);
    }
}
