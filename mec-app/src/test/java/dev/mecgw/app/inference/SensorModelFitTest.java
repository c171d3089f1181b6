package dev.mecgw.app.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.telemetry.Reading;
import dev.mecgw.app.telemetry.TelemetryStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Sensor models per metric (issue 23 item 2), through the REST fit and the committed-telemetry path: a device with two
 * metrics of very different scales (temperature ≈ 20, pressure ≈ 100000).
 */
@QuarkusTest
class SensorModelFitTest {

    private static final String FIT = "/api/v1/models/sensor-anomaly/fit";

    @Inject
    DataSource dataSource;

    @Inject
    TelemetryStore telemetry;

    @Inject
    TelemetryIngest ingest;

    private final Random random = new Random(23);

    @Test
    void shouldRaiseNoPressureEventWhenTheModelIsFittedOnTemperature() throws Exception {
        // given normal temperature and pressure stored for a device, and a model fitted on temperature
        String device = "scales-" + System.nanoTime();
        Instant start = givenNormalHistory(device);
        givenAdmin()
                .contentType("application/json")
                .body("{\"metric\":\"temp\",\"deviceIds\":[\"" + device + "\"]}")
                .post(FIT)
                .then()
                .statusCode(201)
                .body("name", equalTo("sensor-anomaly"))
                .body("metrics", contains("temp"));

        // when both metrics stream live, normal but for one temperature spike
        ingest.submit(live(device, start.plusSeconds(3000), 20, -1))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        // then the temperature spike is an event, and pressure (5000 times the scale) raised none
        await().atMost(Duration.ofSeconds(30)).until(() -> anomalies(device, "sensor-anomaly", "temp") >= 1);
        assertThat(anomalies(device, null, "pressure")).isZero();
    }

    @Test
    void shouldScoreEachMetricOnlyWithItsModelWhenOneModelPerMetricIsFitted() throws Exception {
        // given a device of its own type with normal history of both metrics
        String type = "weather-" + System.nanoTime();
        String device = "w-" + System.nanoTime();
        givenAdmin()
                .contentType("application/json")
                .body("{\"id\":\"" + device + "\",\"type\":\"" + type + "\"}")
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        Instant start = givenNormalHistory(device);

        // when one call fits one model per metric for that device type (training devices: the type's)
        givenAdmin()
                .contentType("application/json")
                .body("{\"metrics\":[\"temp\",\"pressure\"],\"deviceType\":\"" + type + "\"}")
                .post(FIT)
                .then()
                .statusCode(201)
                .body("name", contains("sensor-anomaly.temp", "sensor-anomaly.pressure"))
                .body("[0].metrics", contains("temp"))
                .body("[1].metrics", contains("pressure"))
                .body("[1].deviceTypes", contains(type));

        // and live telemetry with a spike in each metric arrives (again until the device's type is known)
        int[] round = {0};
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Instant at = start.plusSeconds(3000 + 100L * round[0]++);
            ingest.submit(live(device, at, 20, 10)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            return anomalies(device, "sensor-anomaly.temp", "temp") >= 1
                    && anomalies(device, "sensor-anomaly.pressure", "pressure") >= 1;
        });

        // then each model scored only its own metric
        assertThat(anomalies(device, "sensor-anomaly.temp", "pressure")).isZero();
        assertThat(anomalies(device, "sensor-anomaly.pressure", "temp")).isZero();
    }

    @Test
    void shouldAnswerProblemNamingTheFieldWhenTheFitRequestIsBad() {
        badFit("{\"deviceIds\":[\"d\"]}", "metric");
        badFit("{\"metric\":\"temp\",\"metrics\":[\"temp\"],\"deviceIds\":[\"d\"]}", "metrics");
        badFit("{\"metrics\":[\"temp\",\"Bad Name\"],\"deviceIds\":[\"d\"]}", "metrics[1]");
        badFit("{\"metrics\":[\"temp\",\"temp\"],\"deviceIds\":[\"d\"]}", "metrics");
        badFit("{\"metric\":\"temp\"}", "deviceIds");
        badFit("{\"metric\":\"temp\",\"deviceType\":\"no-such-type-" + System.nanoTime() + "\"}", "deviceType");
    }

    private void badFit(String body, String field) {
        givenAdmin()
                .contentType("application/json")
                .body(body)
                .post(FIT)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo(field));
    }

    /** 2000 s of normal readings of both metrics, ending 3000 s before now. */
    private Instant givenNormalHistory(String device) {
        Instant start = Instant.now().minusSeconds(6000);
        List<Reading> normal = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            normal.add(new Reading(device, "temp", start.plusSeconds(i), 20 + random.nextGaussian() * 0.3));
            normal.add(new Reading(device, "pressure", start.plusSeconds(i), 100_000 + random.nextGaussian() * 20));
        }
        telemetry.append(normal);
        return start;
    }

    /** 32 s of both metrics; a spike in temperature at {@code tempSpike} and in pressure at {@code pressureSpike}. */
    private List<Reading> live(String device, Instant from, int tempSpike, int pressureSpike) {
        List<Reading> live = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            double temp = i == tempSpike ? 35 : 20 + random.nextGaussian() * 0.3;
            double pressure = i == pressureSpike ? 120_000 : 100_000 + random.nextGaussian() * 20;
            live.add(new Reading(device, "temp", from.plusSeconds(i), temp));
            live.add(new Reading(device, "pressure", from.plusSeconds(i), pressure));
        }
        return live;
    }

    private long anomalies(String device, String model, String metric) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM events WHERE device_id = ? AND kind ="
                        + " 'inference.anomaly' AND payload->>'metric' = ? AND (? IS NULL OR payload->>'model' = ?)")) {
            ps.setString(1, device);
            ps.setString(2, metric);
            ps.setString(3, model);
            ps.setString(4, model);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static RequestSpecification givenAdmin() {
        return given().header("Authorization", "Bearer " + ModelResourceTest.adminToken());
    }
}
