package dev.mecgw.app.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs against the real embedded PostgreSQL: partitioning is DDL that only the server can judge. */
@QuarkusTest
class TelemetryPartitionsTest {

    @Inject
    DataSource dataSource;

    @Inject
    TelemetryStore store;

    @Test
    void shouldMoveStrayReadingsIntoANewDayPartitionAndDropExpiredDays() throws Exception {
        // given a reading 40 days in the future, which lands in the default partition
        Instant future = Instant.now().plus(Duration.ofDays(40));
        String day = future.atZone(ZoneOffset.UTC).toLocalDate().toString().replace("-", "");
        store.append(List.of(new Reading("part-dev", "temp", future, 7.0)));
        assertThat(count("telemetry_default", "part-dev")).isEqualTo(1);

        // when maintenance runs with the clock at that day
        TelemetryPartitions partitions = new TelemetryPartitions(dataSource, Clock.fixed(future, ZoneOffset.UTC));
        TelemetryPartitions.Result result = partitions.maintain(1, Duration.ofDays(400));

        // then the day partition exists and holds the reading, and nothing is lost
        assertThat(result.created()).contains("telemetry_" + day);
        assertThat(count("telemetry_" + day, "part-dev")).isEqualTo(1);
        assertThat(count("telemetry_default", "part-dev")).isZero();
        assertThat(count("telemetry", "part-dev")).isEqualTo(1);

        // when the retention has passed for that day
        TelemetryPartitions later =
                new TelemetryPartitions(dataSource, Clock.fixed(future.plus(Duration.ofDays(3)), ZoneOffset.UTC));
        TelemetryPartitions.Result expired = later.maintain(0, Duration.ofDays(1));

        // then the day is dropped as a whole
        assertThat(expired.dropped()).contains("telemetry_" + day);
        assertThat(count("telemetry", "part-dev")).isZero();
    }

    @AfterEach
    void restoreTodaysPartitions() {
        // The expiry step above dropped every day before its fake "now"; put back what the app expects.
        new TelemetryPartitions(dataSource, Clock.systemUTC()).maintain(3, Duration.ofDays(30));
    }

    private long count(String table, String device) throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT count(*) FROM " + table + " WHERE device_id = '" + device + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
