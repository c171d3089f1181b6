package dev.mecgw.sync.cdc;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.sync.applier.KafkaChangeApplier;
import dev.mecgw.sync.applier.LocalCloud;
import dev.mecgw.sync.backhaul.BackhaulMonitor;
import dev.mecgw.sync.kafka.KafkaChangeSink;
import dev.mecgw.testsupport.kafka.EmbeddedKafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code bench/sync}: edge PostgreSQL → Debezium → Kafka (through a TCP proxy that counts the backhaul bytes) →
 * applier → cloud PostgreSQL, all in this JVM. Prints steady throughput, p99 lag, bytes per row against plain JSON,
 * and the drain after an outage, next to the targets of issue 4. Not a test: run through bench/sync/run.sh.
 */
public final class SyncBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedPostgres edge;
    private static EmbeddedPostgres cloud;

    private SyncBench() {}

    public static void main(String[] args) throws Exception {
        int steadyRows = Integer.parseInt(System.getProperty("bench.steadyRows", "100000"));
        int backlogRows = Integer.parseInt(System.getProperty("bench.backlogRows", "300000"));
        int lagRate = Integer.parseInt(System.getProperty("bench.lagRowsPerSecond", "500"));
        Path dir = Files.createTempDirectory("mecgw-sync-bench");
        edge = EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_size", "4GB")
                .start();
        cloud = EmbeddedPostgres.builder().start();
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
            KafkaChangeApplier applier = LocalCloud.startApplier(kafka.cloudBootstrap(), "bench", url(cloud));
            execute(
                    edge,
                    "CREATE TABLE readings (id bigint PRIMARY KEY, device text NOT NULL, metric text NOT NULL,"
                            + " value double precision NOT NULL, at timestamptz NOT NULL)");
            BackhaulMonitor monitor = new BackhaulMonitor(Clock.systemUTC(), Duration.ofSeconds(2));
            CaptureSettings settings = new CaptureSettings(
                    "bench",
                    "site-bench",
                    url(edge),
                    "postgres",
                    null,
                    List.of("public.readings"),
                    "bench_slot",
                    "bench_pub",
                    Duration.ofSeconds(1),
                    Map.of("max.batch.size", "8192", "max.queue.size", "32768"));
            try (KafkaChangeSink sink = KafkaChangeSink.create(kafka.edgeBootstrap(), "zstd", Map.of(), monitor);
                    DebeziumChangeCapture capture = new DebeziumChangeCapture(settings, sink)) {
                capture.start();
                waitFor(() -> capture.state() == CaptureState.RUNNING, Duration.ofMinutes(2));
                System.out.printf(
                        "mecgw sync bench, %s, %d cores%n",
                        Instant.now(), Runtime.getRuntime().availableProcessors());
                steady(kafka, monitor, steadyRows);
                lag(lagRate, steadyRows);
                long next = steadyRows + lagRate * 10L;
                double singleRowRate = singleRowIngest(monitor, next, Duration.ofSeconds(5));
                next += 1_000_000L;
                // The cloud side runs elsewhere in production; stop it so the drain measures the edge alone.
                applier.close();
                drain(kafka, monitor, next, backlogRows, lagRate, singleRowRate);
            }
        } finally {
            cloud.close();
            edge.close();
        }
    }

    private static void steady(EmbeddedKafkaBroker kafka, BackhaulMonitor monitor, int rows) throws Exception {
        long bytesBefore = kafka.backhaul().bytesUp();
        long start = System.nanoTime();
        long jsonBytes = insert(0, rows);
        double insertSeconds = seconds(start);
        waitFor(() -> monitor.acknowledgedTotal() >= rows, Duration.ofMinutes(10));
        double kafkaSeconds = seconds(start);
        waitFor(() -> cloudCount() >= rows, Duration.ofMinutes(10));
        double cloudSeconds = seconds(start);
        double wirePerRow = (kafka.backhaul().bytesUp() - bytesBefore) / (double) rows;
        double jsonPerRow = jsonBytes / (double) rows;
        System.out.printf(
                "steady: %d rows; edge ingest %.0f rows/s; edge->Kafka %.0f rows/s; edge->cloud DB %.0f rows/s%n",
                rows, rows / insertSeconds, rows / kafkaSeconds, rows / cloudSeconds);
        System.out.printf(
                "wire: %.1f bytes/row on the backhaul (zstd, incl. protocol) vs %.1f bytes/row plain JSON"
                        + " = %.2fx (target <= 0.50x)%n",
                wirePerRow, jsonPerRow, wirePerRow / jsonPerRow);
    }

    private static void lag(int rate, long firstId) throws Exception {
        long id = firstId;
        long start = System.nanoTime();
        for (int second = 0; second < 10; second++) {
            for (int batch = 0; batch < 10; batch++) {
                insert(id, rate / 10);
                id += rate / 10;
                long due = start + (second * 10L + batch + 1) * 100_000_000L;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
            }
        }
        long last = id;
        waitFor(() -> cloudCount() >= last, Duration.ofMinutes(2));
        try (Connection connection = connect(cloud);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d),"
                        + " percentile_cont(0.99) WITHIN GROUP (ORDER BY d) FROM (SELECT extract(epoch FROM"
                        + " applied_at - commit_time) AS d FROM mecgw_cloud_rows WHERE (pk::jsonb->>'id')::bigint >= "
                        + firstId + ") lags")) {
            row.next();
            System.out.printf(
                    "lag at %d rows/s, commit at edge -> applied in cloud DB: p50 %.3f s, p99 %.3f s"
                            + " (target p99 <= 1 s)%n",
                    rate, row.getDouble(1), row.getDouble(2));
        }
    }

    /**
     * The gateway writes events and twin changes one row per transaction; this is the rate at which it can produce
     * rows for the replicated tables that way, with capture running and the link up.
     *
     * @return rows per second
     */
    private static double singleRowIngest(BackhaulMonitor monitor, long firstId, Duration duration) throws Exception {
        long acknowledged = monitor.acknowledgedTotal();
        long start = System.nanoTime();
        long id = firstId;
        try (Connection connection = connect(edge);
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO readings (id, device, metric, value, at) VALUES (?, ?, 'event', 1, now())")) {
            while (System.nanoTime() - start < duration.toNanos()) {
                insert.setLong(1, id);
                insert.setString(2, "sensor-" + (id++ % 500));
                insert.executeUpdate();
            }
        }
        double rate = (id - firstId) / seconds(start);
        long rows = id - firstId;
        waitFor(() -> monitor.acknowledgedTotal() >= acknowledged + rows, Duration.ofMinutes(5));
        System.out.printf(
                "ingest: %.0f rows/s written one row per transaction (how the gateway writes events and"
                        + " twin changes), capture running%n",
                rate);
        return rate;
    }

    private static void drain(
            EmbeddedKafkaBroker kafka,
            BackhaulMonitor monitor,
            long firstId,
            int rows,
            int siteRate,
            double singleRowRate)
            throws Exception {
        waitFor(() -> monitor.inFlight() == 0, Duration.ofMinutes(2));
        kafka.backhaul().cut();
        long acknowledged = monitor.acknowledgedTotal();
        long start = System.nanoTime();
        insert(firstId, rows);
        double ingestRate = rows / seconds(start);
        Instant restored = Instant.now();
        long restoredNanos = System.nanoTime();
        long cpuBefore = processCpuNanos();
        kafka.backhaul().restore();
        waitFor(() -> monitor.lastSuccess().map(t -> !t.isBefore(restored)).orElse(false), Duration.ofMinutes(2));
        double firstSeconds =
                Duration.between(restored, monitor.lastSuccess().orElseThrow()).toMillis() / 1000.0;
        waitFor(() -> monitor.acknowledgedTotal() >= acknowledged + rows, Duration.ofMinutes(20));
        double drainRate = rows / seconds(restoredNanos);
        double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
        System.out.printf(
                "outage: %d rows backlog written at %.0f rows/s (bulk-insert loop, 1000 rows per"
                        + " transaction) while the link was cut%n",
                rows, ingestRate);
        System.out.printf(
                "drain: first row acknowledged %.3f s after the link returned (target < 1 s);"
                        + " drained at %.0f rows/s (target >= 5x the ingest rate) = %.1fx the one-row-per-transaction"
                        + " ingest, %.2fx the bulk-insert loop, %.0fx a site ingesting %d rows/s%n",
                firstSeconds,
                drainRate,
                drainRate / singleRowRate,
                drainRate / ingestRate,
                drainRate / siteRate,
                siteRate);
        System.out.printf(
                "drain cost: %.1f CPU s in this JVM (Debezium, producer, broker; not PostgreSQL) ="
                        + " %.0f rows per CPU second; load average %.1f%n",
                cpuSeconds,
                rows / cpuSeconds,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
    }

    /** @return the plain-JSON size of the rows written, the reference for bytes on the wire */
    private static long insert(long from, int count) throws Exception {
        long jsonBytes = 0;
        try (Connection connection = connect(edge)) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO readings (id, device, metric, value, at) VALUES (?, ?, ?, ?, ?)")) {
                for (long id = from; id < from + count; id++) {
                    String device = "sensor-" + (id % 500);
                    String metric = id % 2 == 0 ? "temperature" : "vibration";
                    double value = 20 + (id % 1000) / 10.0;
                    Instant at = Instant.now();
                    insert.setLong(1, id);
                    insert.setString(2, device);
                    insert.setString(3, metric);
                    insert.setDouble(4, value);
                    insert.setTimestamp(5, java.sql.Timestamp.from(at));
                    insert.addBatch();
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", id);
                    row.put("device", device);
                    row.put("metric", metric);
                    row.put("value", value);
                    row.put("at", at.toString());
                    jsonBytes += JSON.writeValueAsString(row).getBytes(StandardCharsets.UTF_8).length;
                    if (id % 1000 == 999) {
                        insert.executeBatch();
                        connection.commit();
                    }
                }
                insert.executeBatch();
                connection.commit();
            }
        }
        return jsonBytes;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long cloudCount() {
        try (Connection connection = connect(cloud);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM mecgw_cloud_rows")) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            return -1;
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

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void execute(EmbeddedPostgres db, String sql) throws SQLException {
        try (Connection connection = connect(db);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect(EmbeddedPostgres db) throws SQLException {
        return DriverManager.getConnection(url(db), "postgres", null);
    }

    private static String url(EmbeddedPostgres db) {
        return "jdbc:postgresql://127.0.0.1:" + db.getPort() + "/postgres";
    }
}
