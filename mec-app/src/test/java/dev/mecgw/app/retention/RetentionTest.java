package dev.mecgw.app.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.store.DownDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RetentionTest {

    @Test
    void shouldRecordWhatTheDatabaseSaidWhenARunFails() throws Exception {
        // given retention over a database that is down
        List<Map<String, ?>> failures = new CopyOnWriteArrayList<>();
        EventLog events = (device, kind, severity, payload) -> {
            if (kind.equals("retention.failed")) {
                failures.add(payload);
            }
        };
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Retention retention = new Retention(
                new PostgresRetention(
                        DownDatabase.dataSource(),
                        List.of(new RetentionRule("events", "id", "ts", Duration.ofDays(30), false)),
                        100,
                        1,
                        Duration.ofDays(1),
                        Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)),
                events,
                meters);

        // when it runs
        var run = retention.run();

        // then the run is counted as failed, and its event gives the database's reason (the refused connection), not
        // only the store's name: that is what an operator can act on
        assertThat(run).isEmpty();
        assertThat(meters.counter("mecgw.retention.runs", "outcome", "failed").count())
                .isEqualTo(1.0);
        assertThat(failures)
                .singleElement()
                .satisfies(payload -> assertThat(String.valueOf(payload.get("reason")))
                        .contains("refused")
                        .doesNotContain("unavailable"));
    }
}
