package dev.mecgw.sync.backhaul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.sync.cdc.CaptureSettings;
import dev.mecgw.sync.cdc.CaptureState;
import dev.mecgw.sync.cdc.DebeziumChangeCapture;
import dev.mecgw.sync.cdc.EmbeddedKafkaBroker;
import dev.mecgw.sync.kafka.KafkaChangeSink;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backlog rows and age of a real slot, with Debezium holding it, while the backhaul is cut and after it returns
 * (issue 4, item 8).
 */
class PostgresBacklogSamplerIT {

    private static final int PENDING = 2_000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    static EmbeddedPostgres edge;
    static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startEdgeAndKafka() throws Exception {
        edge = EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .start();
        kafka = EmbeddedKafkaBroker.start(dir.resolve("kafka"));
    }

    @AfterAll
    static void stopAll() throws Exception {
        kafka.close();
        edge.close();
    }

    @Test
    void shouldReportPendingRowsAndGrowingAgeWhenLinkIsDownAndZeroAfterDrain() throws Exception {
        // given: a running capture that has caught up with a first few rows
        execute("CREATE TABLE readings (id bigint PRIMARY KEY, amount bigint NOT NULL)");
        // A 1 s heartbeat (production: 10 s) lets the slot confirm past the last change quickly once idle.
        CaptureSettings settings = new CaptureSettings(
                "sync-backlog",
                "site-backlog",
                url(),
                "postgres",
                null,
                List.of("public.readings"),
                "slot_backlog",
                "pub_backlog",
                Duration.ofMillis(500),
                Map.of("heartbeat.interval.ms", "1000"));
        BackhaulMonitor monitor = new BackhaulMonitor(Clock.systemUTC(), Duration.ofSeconds(1));
        PostgresBacklogSampler sampler = givenASampler();
        try (KafkaChangeSink sink = KafkaChangeSink.create(kafka.edgeBootstrap(), "zstd", Map.of(), monitor);
                DebeziumChangeCapture capture = new DebeziumChangeCapture(settings, sink)) {
            capture.start();
            await().atMost(WAIT).until(() -> capture.state() == CaptureState.RUNNING);
            writeRows(0, 50);
            awaitDrained(sampler, monitor, 50);

            // when: the backhaul is cut and rows keep arriving
            kafka.backhaul().cut();
            Instant beforeWrites = Instant.now();
            assertThat(sampler.sample().rows()).isZero();
            writeRows(50, PENDING);
            Instant afterWrites = Instant.now();

            // then: every pending row is counted, none twice (exact here: the anchor was quiet and the writer's
            // statistics were reported when it closed), and the oldest dates from the writes; PostgreSQL 14 shows
            // statistics up to ~0.5 s late and a loaded machine adds to that, hence the 2 s allowance
            await().atMost(WAIT).until(() -> sampler.sample().rows() >= PENDING);
            BacklogEstimate pending = sampler.sample();
            assertThat(pending.rows()).isEqualTo(PENDING);
            assertThat(pending.complete()).isTrue();
            assertThat(pending.oldestPending())
                    .hasValueSatisfying(
                            oldest -> assertThat(oldest).isBetween(beforeWrites, afterWrites.plusSeconds(2)));
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
            kafka.backhaul().restore();
            awaitDrained(sampler, monitor, 50L + PENDING);
        } finally {
            kafka.backhaul().restore();
        }
    }

    private static PostgresBacklogSampler givenASampler() {
        return new PostgresBacklogSampler(
                edge.getPostgresDatabase(),
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

    // Closing the connection makes its backend report its statistics at once.
    private static void writeRows(long from, int count) throws SQLException {
        try (Connection connection = edge.getPostgresDatabase().getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert =
                    connection.prepareStatement("INSERT INTO readings (id, amount) VALUES (?, ?)")) {
                for (long id = from; id < from + count; id++) {
                    insert.setLong(1, id);
                    insert.setLong(2, id * 7);
                    insert.addBatch();
                    if (id % 100 == 99) {
                        insert.executeBatch();
                        connection.commit();
                    }
                }
                insert.executeBatch();
                connection.commit();
            }
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = edge.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String url() {
        return "jdbc:postgresql://127.0.0.1:" + edge.getPort() + "/postgres";
    }
}
