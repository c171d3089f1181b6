package dev.mecgw.sync.cdc;

import dev.mecgw.sync.backhaul.BackhaulMonitor;
import dev.mecgw.sync.kafka.KafkaChangeSink;
import dev.mecgw.testsupport.kafka.EmbeddedKafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code bench/sync/priority.sh} (issue 14.7): a gateway restarted while the cloud is unreachable, with a bulk backlog
 * ({@code bench.bulkRows}, default 500000) and critical changes behind it; the link returns and the bench measures
 * how long after that the first critical change is acknowledged by the cloud, when the last one is, and when the
 * first bulk row is. Runs twice on fresh tables: "before" with the producer settings and lanes of before issue 14.7
 * ({@code max.block.ms=10000}, reconnect back-off 500 ms, default connection set-up timeouts, no lane gate), then
 * "after" as the gateway runs now. (The "before" run keeps the capture's hold-back behind a failed send, which is
 * not switchable.) Not a test.
 */
public final class PriorityDrainBench {

    private static EmbeddedPostgres edge;
    private static EmbeddedKafkaBroker kafka;

    private PriorityDrainBench() {}

    public static void main(String[] args) throws Exception {
        int bulkRows = Integer.getInteger("bench.bulkRows", 500_000);
        int criticalRows = Integer.getInteger("bench.criticalRows", 100);
        edge = EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_size", "4GB")
                .setServerConfig("max_replication_slots", "8")
                .start();
        kafka = EmbeddedKafkaBroker.start(
                Files.createTempDirectory("mecgw-prio-bench").resolve("kafka"));
        System.out.printf(
                "mecgw priority drain bench, %s, %d cores, load average %.1f%n",
                Instant.now(),
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        try {
            run("before", bulkRows, criticalRows, false);
            run("after", bulkRows, criticalRows, true);
        } finally {
            kafka.close();
            edge.close();
        }
    }

    private static void run(String variant, int bulkRows, int criticalRows, boolean fixed) throws Exception {
        execute("CREATE TABLE events_" + variant + " (id int PRIMARY KEY, kind text NOT NULL)");
        execute("CREATE TABLE rollups_" + variant + " (id int PRIMARY KEY, device text NOT NULL, value float8)");
        Gateway first = Gateway.start(variant, fixed);
        kafka.backhaul().cut();
        long insertStart = System.nanoTime();
        execute("INSERT INTO rollups_" + variant + " SELECT g, 'sensor-' || (g % 500), g * 0.5"
                + " FROM generate_series(1, " + bulkRows + ") g");
        execute("INSERT INTO events_" + variant + " SELECT g, 'alarm' FROM generate_series(1, " + criticalRows + ") g");
        double insertSeconds = (System.nanoTime() - insertStart) / 1e9;
        first.close();
        Gateway second = Gateway.start(variant, fixed);
        waitFor(() -> second.critical.monitor.failuresTotal() > 0, Duration.ofMinutes(2));
        long restored = System.nanoTime();
        kafka.backhaul().restore();
        long firstCritical = -1;
        long lastCritical = -1;
        long firstBulk = -1;
        long deadline = restored + Duration.ofMinutes(30).toNanos();
        while (second.bulk.monitor.acknowledgedTotal() < bulkRows && System.nanoTime() < deadline) {
            long now = System.nanoTime();
            long critical = second.critical.monitor.acknowledgedTotal();
            if (firstCritical < 0 && critical > 0) {
                firstCritical = now;
            }
            if (lastCritical < 0 && critical >= criticalRows) {
                lastCritical = now;
            }
            if (firstBulk < 0 && second.bulk.monitor.acknowledgedTotal() > 0) {
                firstBulk = now;
            }
            Thread.sleep(1);
        }
        double drained = (System.nanoTime() - restored) / 1e9;
        second.close();
        System.out.printf(
                "%s: backlog %d bulk + %d critical rows (written in %.1f s during the outage), gateway restarted"
                        + " during the outage; after the link returned: first critical ack %s, last critical ack %s,"
                        + " first bulk ack %s, bulk drained in %.1f s (%.0f rows/s)%n",
                variant,
                bulkRows,
                criticalRows,
                insertSeconds,
                since(restored, firstCritical),
                since(restored, lastCritical),
                since(restored, firstBulk),
                drained,
                bulkRows / drained);
    }

    private static String since(long start, long at) {
        return at < 0 ? "never" : String.format("%.3f s", (at - start) / 1e9);
    }

    private record Gateway(Lane critical, Lane bulk) {

        static Gateway start(String variant, boolean fixed) throws InterruptedException {
            LaneGate gate = new LaneGate(Duration.ofMinutes(5));
            Lane critical = Lane.start(
                    variant, "public.events_" + variant, fixed ? gate.critical() : LaneGate.Lane.NONE, fixed);
            Lane bulk = Lane.start(
                    variant + "_bulk", "public.rollups_" + variant, fixed ? gate.bulk() : LaneGate.Lane.NONE, fixed);
            return new Gateway(critical, bulk);
        }

        void close() {
            bulk.close();
            critical.close();
        }
    }

    private record Lane(BackhaulMonitor monitor, KafkaChangeSink sink, DebeziumChangeCapture capture) {

        static Lane start(String name, String table, LaneGate.Lane lane, boolean fixed) throws InterruptedException {
            CaptureSettings settings = new CaptureSettings(
                    "bench-" + name,
                    "site-bench",
                    "jdbc:postgresql://127.0.0.1:" + edge.getPort() + "/postgres",
                    "postgres",
                    null,
                    List.of(table),
                    "slot_" + name,
                    "pub_" + name,
                    Duration.ofSeconds(1),
                    Map.of());
            BackhaulMonitor monitor = new BackhaulMonitor(Clock.systemUTC(), Duration.ofSeconds(2));
            Map<String, String> before = Map.of(
                    "max.block.ms", "10000",
                    "reconnect.backoff.max.ms", "500",
                    "socket.connection.setup.timeout.ms", "10000",
                    "socket.connection.setup.timeout.max.ms", "30000");
            KafkaChangeSink sink =
                    KafkaChangeSink.create(kafka.edgeBootstrap(), "zstd", fixed ? Map.of() : before, monitor);
            DebeziumChangeCapture capture = new DebeziumChangeCapture(settings, sink, lane);
            capture.start();
            waitFor(() -> capture.state() == CaptureState.RUNNING, Duration.ofMinutes(2));
            return new Lane(monitor, sink, capture);
        }

        void close() {
            capture.close();
            sink.close();
        }
    }

    private static void waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("bench condition not reached within " + timeout);
            }
            Thread.sleep(5);
        }
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + edge.getPort() + "/postgres", "postgres", null);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
