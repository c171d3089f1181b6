package dev.mecgw.app.sync.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;

import dev.mecgw.app.sync.CloudSync;
import dev.mecgw.sync.backhaul.BackhaulState;
import dev.mecgw.sync.cdc.CaptureState;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway boots and keeps ingesting while its configured cloud is unreachable (issue 4, test d, app side). */
@QuarkusTest
@TestProfile(SyncLifecycleTest.UnreachableCloud.class)
class SyncLifecycleTest {

    /** A cloud Kafka address where nothing listens. */
    public static class UnreachableCloud implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mecgw.sync.kafka.bootstrap-servers", "127.0.0.1:" + closedPort(), "mecgw.sync.down-after", "1s");
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Inject
    CloudSync sync;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldCaptureAndReportBackhaulDownWhenCloudIsUnreachable() throws Exception {
        // given
        await().atMost(Duration.ofSeconds(60)).until(() -> sync.status().capture() == CaptureState.RUNNING);
        // when: an event is written locally
        execute("INSERT INTO events (kind, payload) VALUES ('sync-test', '{}')");
        // then: ingest worked, the change waits in the slot and the link shows down
        await().atMost(Duration.ofSeconds(60)).until(() -> sync.status().backhaul() == BackhaulState.DOWN);
        // and the backlog counts a change made while down in rows and age, in health and per class in metrics (the
        // second insert comes after the one-second sampler surely ran, so the estimate's baseline precedes it)
        execute("INSERT INTO events (kind, payload) VALUES ('sync-test', '{}')");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> sync.status().backlogRows() >= 1
                        && sync.status().backlogOldestAge().toSeconds() >= 1);
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'sync' }.data.backlogRows", greaterThanOrEqualTo(1))
                .body("checks.find { it.name == 'sync' }.data.backlogOldestAgeSeconds", greaterThanOrEqualTo(1));
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(matchesPattern("(?s).*mecgw_sync_backlog_rows\\{class=\"critical\"[^}]*} [1-9].*"))
                .body(containsString("mecgw_sync_backlog_oldest_age_seconds{class=\"critical\""))
                .body(containsString("mecgw_sync_backlog_rows{class=\"bulk\""))
                .body(matchesPattern("(?s).*mecgw_sync_backlog_bytes\\{class=\"critical\"[^}]*} [1-9].*"));
        // the capture keeps handing changes to the producer while the link is down (awaited: the second insert may
        // still be on its way from the slot when the backlog figures above are first seen)
        await().atMost(Duration.ofSeconds(30)).until(() -> sync.status().inFlight() > 0);
        assertThat(count("SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'mecgw_sync%'"))
                .isEqualTo(2);
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'sync' }.data.backhaul", equalTo("down"));
    }

    private void execute(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private long count(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
