package dev.mecgw.app.sync.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.mecgw.app.sync.CloudSync;
import dev.mecgw.sync.backhaul.BackhaulState;
import dev.mecgw.sync.cdc.CaptureState;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A cloud whose bootstrap name does not resolve (backhaul DNS down at boot) must not keep the gateway from
 * starting: Kafka clients refuse to be built then, and sync waits for them instead of failing start-up.
 */
@QuarkusTest
@TestProfile(SyncUnresolvableCloudTest.UnresolvableCloud.class)
class SyncUnresolvableCloudTest {

    /** A cloud Kafka address in the reserved {@code .invalid} domain, which never resolves. */
    public static class UnresolvableCloud implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mecgw.sync.kafka.bootstrap-servers", "kafka.cloud.invalid:9092");
        }
    }

    @Inject
    CloudSync sync;

    @Test
    void shouldStayReadyAndReportBackhaulDownWhenCloudNameDoesNotResolve() {
        // given: the gateway has started with the unresolvable cloud
        // when: sync is asked for its state
        await().atMost(Duration.ofSeconds(30)).until(() -> sync.status().backhaul() == BackhaulState.DOWN);
        // then: capture waits (not failed), the gateway is ready and serves its API
        assertThat(sync.status().capture()).isEqualTo(CaptureState.STARTING);
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'sync' }.data.backhaul", equalTo("down"));
        given().header("Authorization", "Bearer test-admin-token")
                .when()
                .get("/api/v1/devices")
                .then()
                .statusCode(200);
    }
}
