package dev.mecgw.app.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TelemetryRollupTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldAggregatePerDeviceMetricAndMinuteWhenRefreshed() throws Exception {
        // given: a device of its own, as the test database is kept between runs
        String device = "rollup-" + java.util.UUID.randomUUID();
        Instant minute = Instant.parse("2026-11-27T10:15:00Z");
        execute("INSERT INTO telemetry (device_id, metric, ts, value) VALUES"
                + " ('" + device + "', 'temp', '2026-11-27T10:15:05Z', 10), ('" + device + "', 'temp',"
                + " '2026-11-27T10:15:35Z', 20), ('" + device + "', 'temp', '2026-11-27T10:16:01Z', 99)");
        TelemetryRollup rollup = new TelemetryRollup(dataSource);
        // when
        Instant oldest = minute.minusSeconds(86_400);
        int first = rollup.refresh(minute, minute.plusSeconds(60), oldest);
        int again = rollup.refresh(minute, minute.plusSeconds(60), oldest);
        // then
        assertThat(first).isEqualTo(1);
        assertThat(again).as("unchanged rollups are not rewritten").isZero();
        assertThat(query("SELECT min || '/' || max || '/' || avg || '/' || count FROM telemetry_rollup_1m"
                        + " WHERE device_id = '" + device + "' AND minute = '2026-11-27T10:15:00Z'"))
                .isEqualTo("10/20/15/2");
    }

    @Test
    void shouldLeaveInvalidAndNotTopicalReadingsOutOfTheRollupWhenQualityIsFlagged() throws Exception {
        // given: issue 21 (IEC 104 quality): one good, one invalid (0x80), one not topical (0x40), one substituted
        // (0x20) reading in a minute
        String device = "quality-" + java.util.UUID.randomUUID();
        Instant minute = Instant.parse("2026-11-27T11:15:00Z");
        execute("INSERT INTO telemetry (device_id, metric, ts, value, quality) VALUES"
                + " ('" + device + "', 'v', '2026-11-27T11:15:05Z', 10, NULL),"
                + " ('" + device + "', 'v', '2026-11-27T11:15:06Z', -999, 128),"
                + " ('" + device + "', 'v', '2026-11-27T11:15:07Z', 500, 64),"
                + " ('" + device + "', 'v', '2026-11-27T11:15:08Z', 20, 32)");
        // when
        new TelemetryRollup(dataSource).refresh(minute, minute.plusSeconds(60), minute.minusSeconds(86_400));
        // then: the flagged values stay in the raw table, but the replicated aggregate holds the usable ones only
        assertThat(query("SELECT min || '/' || max || '/' || count FROM telemetry_rollup_1m" + " WHERE device_id = '"
                        + device + "' AND minute = '2026-11-27T11:15:00Z'"))
                .isEqualTo("10/20/2");
        assertThat(query("SELECT count(*) FROM telemetry WHERE device_id = '" + device + "'"))
                .isEqualTo("4");
    }

    @Test
    void shouldRecomputeTheMinuteWhenAReadingArrivesTwoHoursLate() throws Exception {
        // given: a minute rolled up when its readings came in
        String device = "late-" + java.util.UUID.randomUUID();
        Instant minute = Instant.parse("2026-11-27T08:15:00Z");
        execute("INSERT INTO telemetry (device_id, metric, ts, value, received_at) VALUES"
                + " ('" + device + "', 'temp', '2026-11-27T08:15:05Z', 10, '2026-11-27T08:15:06Z'),"
                + " ('" + device + "', 'temp', '2026-11-27T08:15:35Z', 20, '2026-11-27T08:15:36Z')");
        TelemetryRollup rollup = new TelemetryRollup(dataSource);
        rollup.refresh(minute.minusSeconds(600), minute.plusSeconds(60), Instant.parse("2026-10-01T00:00:00Z"));
        // when: a sensor that buffered through an outage delivers a reading of that minute 2 h later, and the
        // regular run looks back its 10 minutes
        execute("INSERT INTO telemetry (device_id, metric, ts, value, received_at) VALUES" + " ('" + device
                + "', 'temp', '2026-11-27T08:15:50Z', 60, '2026-11-27T10:15:20Z')");
        Instant now = Instant.parse("2026-11-27T10:16:00Z");
        rollup.refresh(now.minusSeconds(600), now, Instant.parse("2026-10-01T00:00:00Z"));
        // then: the old minute includes it
        assertThat(query("SELECT min || '/' || max || '/' || avg || '/' || count FROM telemetry_rollup_1m"
                        + " WHERE device_id = '" + device + "' AND minute = '2026-11-27T08:15:00Z'"))
                .isEqualTo("10/60/30/3");
    }

    @Test
    void shouldLeaveMinutesOlderThanRawRetentionWhenLateReadingsArrive() throws Exception {
        // given: a late reading older than what raw retention keeps (its partition is about to be dropped)
        String device = "late-old-" + java.util.UUID.randomUUID();
        execute("INSERT INTO telemetry (device_id, metric, ts, value, received_at) VALUES" + " ('" + device
                + "', 'temp', '2026-09-01T08:15:05Z', 10, '2026-11-27T10:15:20Z')");
        Instant now = Instant.parse("2026-11-27T10:16:00Z");
        // when
        new TelemetryRollup(dataSource).refresh(now.minusSeconds(600), now, Instant.parse("2026-10-01T00:00:00Z"));
        // then
        assertThat(query("SELECT count(*) FROM telemetry_rollup_1m WHERE device_id = '" + device + "'"))
                .isEqualTo("0");
    }

    private void execute(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private String query(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
