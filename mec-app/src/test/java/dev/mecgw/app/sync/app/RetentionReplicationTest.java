package dev.mecgw.app.sync.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.app.retention.PostgresRetention;
import dev.mecgw.app.retention.RetentionRule;
import dev.mecgw.app.retention.RetentionRun;
import dev.mecgw.app.retention.app.RetentionSchedule;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Retention vs replication (issue 14 item 4), through the real gateway: embedded PostgreSQL, the Debezium embedded
 * engine, in-process Kafka and the cloud applier. Rows the retention job prunes at the site stay in the cloud mirror;
 * an operator's delete is deleted in the cloud.
 */
@QuarkusTest
@TestProfile(SyncFlowTest.WithLocalCloud.class)
class RetentionReplicationTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(60);
    private static final Instant LONG_AGO =
            Instant.now().minus(Duration.ofDays(400)).truncatedTo(ChronoUnit.MINUTES);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RetentionSchedule retention;

    @Test
    void shouldKeepPrunedRowsInCloudAndDeleteOperatorDeletedDeviceWhenRetentionRuns() throws Exception {
        // given: expired rows of a critical table (events, downlink acknowledgements) and of a bulk table (rollups),
        // a fresh event and a device, all mirrored in the cloud
        String tag = "ret-" + UUID.randomUUID().toString().substring(0, 8);
        long expired = insertEvent(tag, LONG_AGO);
        long fresh = insertEvent(tag, Instant.now());
        update("INSERT INTO telemetry_rollup_1m (device_id, metric, minute, min, max, avg, count)" + " VALUES ('" + tag
                + "', 'temp', '" + LONG_AGO + "', 1, 2, 1.5, 2)");
        update("INSERT INTO mecgw_downlink_applied (id, kind, device_id, version, outcome, applied_at, updated_at)"
                + " VALUES ('" + tag + "', 'command', '" + tag + "', 0, 'delivered', '" + LONG_AGO + "', '" + LONG_AGO
                + "')");
        registerDevice(tag);
        await().atMost(ARRIVAL).until(() -> cloudCount("public.events", eventKey(expired)) == 1);
        await().atMost(ARRIVAL).until(() -> cloudCount("public.events", eventKey(fresh)) == 1);
        await().atMost(ARRIVAL).until(() -> cloudCount("public.telemetry_rollup_1m", tagged(tag)) == 1);
        await().atMost(ARRIVAL).until(() -> cloudCount("public.mecgw_downlink_applied", tagged(tag)) == 1);
        await().atMost(ARRIVAL).until(() -> cloudCount("public.devices", tagged(tag)) == 1);

        // when: the retention job runs
        RetentionRun run = retention.runNow().orElseThrow();

        // then: the expired rows are gone at the site, the fresh event is kept
        assertThat(run.complete()).isTrue();
        assertThat(localCount("events WHERE id = " + expired)).isZero();
        assertThat(localCount("events WHERE id = " + fresh)).isEqualTo(1);
        assertThat(localCount("telemetry_rollup_1m WHERE device_id = '" + tag + "'"))
                .isZero();
        assertThat(localCount("mecgw_downlink_applied WHERE id = '" + tag + "'"))
                .isZero();

        // when: the operator deletes the device, and a fresh rollup follows the prune on the bulk lane
        given().header("Authorization", "Bearer test-admin-token")
                .delete("/api/v1/devices/" + tag)
                .then()
                .statusCode(204);
        update("INSERT INTO telemetry_rollup_1m (device_id, metric, minute, min, max, avg, count)" + " VALUES ('" + tag
                + "-later', 'temp', now(), 1, 2, 1.5, 2)");

        // then: the operator's delete reaches the cloud; changes after the prune arrived on both lanes, and the
        // pruned rows are still in the cloud mirror
        await().atMost(ARRIVAL).until(() -> cloudCount("public.devices", tagged(tag)) == 0);
        await().atMost(ARRIVAL).until(() -> cloudCount("public.telemetry_rollup_1m", tagged(tag + "-later")) == 1);
        assertThat(cloudCount("public.events", eventKey(expired))).isEqualTo(1);
        assertThat(cloudCount("public.mecgw_downlink_applied", tagged(tag))).isEqualTo(1);
        assertThat(cloudCount("public.telemetry_rollup_1m", "pk LIKE '%\"" + tag + "\"%'"))
                .isEqualTo(1);
    }

    @Test
    void shouldDeleteInBoundedBatchesAndMarkEachWhenManyRowsExpired() throws Exception {
        // given: five readings dated ten days ahead (a device with a wrong clock) and one an hour ahead
        String device = "ret-clock-" + UUID.randomUUID().toString().substring(0, 8);
        Instant ahead = Instant.now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            update("INSERT INTO telemetry (device_id, metric, ts, value) VALUES ('" + device + "', 't', '"
                    + ahead.plusSeconds(i) + "', " + i + ")");
        }
        update("INSERT INTO telemetry (device_id, metric, ts, value) VALUES ('" + device + "', 't', '"
                + Instant.now().plus(Duration.ofHours(1)) + "', 9)");
        long marksBefore = localCount(PostgresRetention.MARKS_TABLE);
        PostgresRetention pruning = new PostgresRetention(
                dataSource,
                List.of(new RetentionRule("telemetry", "device_id, metric, ts", "ts", Duration.ofDays(1), true)),
                2,
                100,
                Duration.ofDays(1),
                Clock.systemUTC());

        // when
        RetentionRun run = pruning.prune(() -> false);

        // then: all five, in three transactions of at most two rows, each marked; the plausible reading stays
        assertThat(run.deleted()).containsEntry("telemetry", 5L);
        assertThat(localCount("telemetry WHERE device_id = '" + device + "'")).isEqualTo(1);
        assertThat(localCount(PostgresRetention.MARKS_TABLE + " WHERE lsn IS NOT NULL") - marksBefore)
                .isGreaterThanOrEqualTo(3);
    }

    private void registerDevice(String id) {
        given().header("Authorization", "Bearer test-admin-token")
                .contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"type\":\"sensor\"}")
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
    }

    private long insertEvent(String device, Instant ts) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO events (ts, device_id, kind, payload) VALUES (?, ?, 'test', '{}') RETURNING id")) {
            insert.setTimestamp(1, Timestamp.from(ts));
            insert.setString(2, device);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private void update(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private long localCount(String from) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM " + from)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static String eventKey(long id) {
        return "pk = '{\"id\":" + id + "}'";
    }

    private static String tagged(String tag) {
        return "pk LIKE '%\"" + tag + "\"%'";
    }

    private static long cloudCount(String table, String where) throws Exception {
        return SyncFlowTest.cloudCount(table, where);
    }
}
