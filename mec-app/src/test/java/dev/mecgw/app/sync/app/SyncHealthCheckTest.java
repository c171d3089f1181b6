package dev.mecgw.app.sync.app;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SyncHealthCheckTest {

    @Test
    void shouldReportNotConfiguredWhenNoCloudKafkaIsSet() {
        // given: the test profile sets no mecgw.sync.kafka.bootstrap-servers
        // when / then
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.name", hasItem("sync"))
                .body("checks.find { it.name == 'sync' }.data.state", org.hamcrest.Matchers.equalTo("not configured"));
    }

    @Test
    void shouldExposeSyncMetricsWhenNotConfigured() {
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("mecgw_sync_configured 0.0"))
                .body(containsString("mecgw_sync_downlink_refused_total 0.0"));
    }
}
