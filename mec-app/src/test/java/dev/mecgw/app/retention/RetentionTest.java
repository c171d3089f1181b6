package dev.mecgw.app.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.store.DownDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RetentionTest {

    @RegisterExtension
    static final RetentionTables tables = new RetentionTables();

    @Test
    void shouldCountTheRunAsStoppedAndRecordWhatItDeletedWhenStoppedBetweenBatches() throws Exception {
        // given retention of five expired events, two a batch, and a stop requested after the first batch (SYNC's
        // stop, while the run is under way)
        tables.givenEvents(5, 0);
        List<Map<String, Object>> pruned = new CopyOnWriteArrayList<>();
        EventLog events = (device, kind, severity, payload) -> {
            if (kind.equals("retention.pruned")) {
                pruned.add(new LinkedHashMap<>(payload));
            }
        };
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Retention retention = new Retention(tables.givenAStore(2), events, meters);

        // when it runs
        var run = retention.run(tables.stopOnceBatchesCommitted(1));

        // then the run is counted as stopped, not as pruned; its two rows are counted, and its event says what it
        // deleted and that it stopped; the other three events wait for the next run
        assertThat(run).hasValueSatisfying(r -> assertThat(r.stopped()).isTrue());
        assertThat(meters.counter("mecgw.retention.runs", "outcome", "stopped").count())
                .isEqualTo(1.0);
        assertThat(meters.find("mecgw.retention.runs").tag("outcome", "pruned").counter())
                .isNull();
        assertThat(meters.counter("mecgw.retention.rows.deleted", "table", "events")
                        .count())
                .isEqualTo(2.0);
        assertThat(pruned)
                .singleElement()
                .satisfies(payload -> assertThat(payload)
                        .containsEntry("deleted", Map.of("events", 2L))
                        .containsEntry("complete", false)
                        .containsEntry("stopped", true));
        assertThat(tables.events()).isEqualTo(3);
    }

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
        var run = retention.run(() -> false);

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
