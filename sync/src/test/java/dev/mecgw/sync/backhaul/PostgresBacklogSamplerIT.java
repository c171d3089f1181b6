package dev.mecgw.sync.backhaul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.sync.cdc.CaptureSettings;
import dev.mecgw.sync.cdc.CaptureState;
import dev.mecgw.sync.cdc.DebeziumChangeCapture;
import dev.mecgw.sync.kafka.KafkaChangeSink;
import dev.mecgw.testsupport.sync.SyncFixture;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Backlog rows and age of a real slot, with Debezium holding it, while the backhaul is cut and after it returns
 * (issue 4, item 8).
 */
class PostgresBacklogSamplerIT {

    private static final int PENDING = 2_000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final SyncFixture sync = SyncFixture.edgeAndKafka();

    @Test
    void shouldReportPendingRowsAndGrowingAgeWhenLinkIsDownAndZeroAfterDrain() throws Exception {
        // given: a running capture that has caught up with a first few rows
        sync.execute("CREATE TABLE readings (id bigint PRIMARY KEY, amount bigint NOT NULL)");
        // A 1 s heartbeat (production: 10 s) lets the slot confirm past the last change quickly once idle.
        CaptureSettings settings = new CaptureSettings(
                "sync-backlog",
                "site-backlog",
                sync.edgeUrl(),
                "postgres",
                null,
                List.of("public.readings"),
                "slot_backlog",
                "pub_backlog",
                Duration.ofMillis(500),
                Map.of("heartbeat.interval.ms", "1000"));
        BackhaulMonitor monitor = new BackhaulMonitor(Clock.systemUTC(), Duration.ofSeconds(1));
        PostgresBacklogSampler sampler = givenASampler();
        try (KafkaChangeSink sink = KafkaChangeSink.create(sync.kafka().edgeBootstrap(), "zstd", Map.of(), monitor);
                DebeziumChangeCapture capture = new DebeziumChangeCapture(settings, sink)) {
            capture.start();
            await().atMost(WAIT).until(() -> capture.state() == CaptureState.RUNNING);
            writeRows(0, 50);
            awaitDrained(sampler, monitor, 50);

            // when: the backhaul is cut and rows keep arriving
            sync.kafka().backhaul().cut();
            Instant beforeWrites = Instant.now();
            assertThat(sampler.sample().rows()).isZero();
            writeRows(50, PENDING);
            Instant afterWrites = Instant.now();

            // then: every pending row is counted, none twice (exact here: the anchor was quiet and the writer's
            // statistics were reported when it closed), and the oldest dates from the writes; PostgreSQL 14 shows
            // statistics up to ~0.5 s late and a loaded machine adds to that, hence the 10 s allowance (the check is
            // about which rows the oldest date comes from, not about latency)
            await().atMost(WAIT).until(() -> sampler.sample().rows() >= PENDING);
            BacklogEstimate pending = sampler.sample();
            assertThat(pending.rows()).isEqualTo(PENDING);
            assertThat(pending.complete()).isTrue();
            assertThat(pending.oldestPending())
                    .hasValueSatisfying(
                            oldest -> assertThat(oldest).isBetween(beforeWrites, afterWrites.plusSeconds(10)));
            Duration age = pending.oldestAge(Instant.now());
            await().atMost(WAIT)
                    .until(() -> sampler.sample().oldestAge(Instant.now()).compareTo(age.plusSeconds(2)) >= 0);
            assertThat(sampler.sample().rows()).isEqualTo(PENDING);

            // and a gateway restarted during the outage takes up the kept state: same rows, same oldest change
            sampler.saveState();
            PostgresBacklogSampler restarted = givenASampler();
            BacklogEstimate afterRestart = restarted.sample();
            assertThat(afterRestart.rows()).isEqualTo(PENDING);
            assertThat(afterRestart.oldestPending())
                    .isEqualTo(pending.oldestPending().map(oldest -> oldest.truncatedTo(ChronoUnit.MILLIS)));
            assertThat(afterRestart.complete()).isTrue();

            // and when the link returns, both fall to zero once the backlog drained
            sync.kafka().backhaul().restore();
            awaitDrained(sampler, monitor, 50L + PENDING);
        } finally {
            sync.kafka().backhaul().restore();
        }
    }

    private static PostgresBacklogSampler givenASampler() {
        return new PostgresBacklogSampler(
                sync.edge().getPostgresDatabase(),
                "slot_backlog",
                List.of("public.readings"),
                new BacklogEstimator(256),
                Clock.systemUTC());
    }

    private static void awaitDrained(PostgresBacklogSampler sampler, BackhaulMonitor monitor, long acknowledged) {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(monitor.acknowledgedTotal()).isGreaterThanOrEqualTo(acknowledged);
            BacklogEstimate estimate = sampler.sample();
            assertThat(estimate.rows()).isZero();
            assertThat(estimate.oldestAge(Instant.now())).isZero();
            assertThat(estimate.complete()).isTrue();
        });
    }

    // The fixture closes its connection at the end, which makes the backend report its statistics at once.
    private static void writeRows(long from, int count) throws SQLException {
        SyncFixture.insertInBatches(
                sync.edge(), "INSERT INTO readings (id, amount) VALUES (?, ?)", from, count, (insert, id) -> {
                    insert.setLong(1, id);
                    insert.setLong(2, id * 7);
                });
    }
}
