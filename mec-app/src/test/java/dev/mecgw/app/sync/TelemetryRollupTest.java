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
        int first = rollup.refresh(minute, minute.plusSeconds(60));
        int again = rollup.refresh(minute, minute.plusSeconds(60));
        // then
        assertThat(first).isEqualTo(1);
        assertThat(again).as("unchanged rollups are not rewritten").isZero();
        assertThat(query("SELECT min || '/' || max || '/' || avg || '/' || count FROM telemetry_rollup_1m"
                        + " WHERE device_id = '" + device + "' AND minute = '2026-11-27T10:15:00Z'"))
                .isEqualTo("10/20/15/2");
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
