package dev.mecgw.sync.cdc;

import static dev.mecgw.testsupport.sync.SyncFixture.execute;
import static dev.mecgw.testsupport.sync.SyncFixture.jdbcUrl;
import static dev.mecgw.testsupport.sync.SyncFixture.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.sync.applier.KafkaChangeApplier;
import dev.mecgw.sync.applier.LocalCloud;
import dev.mecgw.sync.backhaul.BackhaulMonitor;
import dev.mecgw.sync.backhaul.DiskGuard;
import dev.mecgw.sync.backhaul.SlotBacklog;
import dev.mecgw.sync.backhaul.SlotProbe;
import dev.mecgw.sync.kafka.KafkaChangeSink;
import dev.mecgw.testsupport.kafka.EmbeddedKafkaBroker;
import dev.mecgw.testsupport.sync.SyncFixture;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery of the edge → cloud path on a real PostgreSQL, Kafka and harness applier: a restored edge database
 * (issue 14.2) and a replication slot that PostgreSQL invalidated (issue 14.3).
 */
class SyncRecoveryIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(90);
    private static final int ROWS = 40;

    @TempDir
    static Path dir;

    static EmbeddedPostgres cloud;
    static EmbeddedKafkaBroker kafka;
    static KafkaChangeApplier applier;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startKafkaAndCloud() throws Exception {
        cloud = EmbeddedPostgres.builder().start();
        kafka = EmbeddedKafkaBroker.start(dir.resolve("kafka"));
        applier = LocalCloud.startApplier(kafka.cloudBootstrap(), "recovery-applier", jdbcUrl(cloud));
    }

    @AfterAll
    static void stopAll() throws Exception {
        applier.close();
        kafka.close();
        cloud.close();
    }

    @AfterEach
    void closeOpened() throws Exception {
        kafka.backhaul().restore();
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void shouldShowNewValuesInCloudWhenEdgeDatabaseIsRestoredFromDumpIntoFreshServer() throws Exception {
        Path pgDump = tool("pg_dump");
        Path psql = tool("psql");
        // given: an edge database well into its WAL, replicated to the cloud
        EmbeddedPostgres old = givenAnEdge(Map.of());
        advanceWal(old, 8);
        execute(old, "CREATE TABLE items (id int PRIMARY KEY, version int NOT NULL)");
        execute(old, "INSERT INTO items SELECT g, 1 FROM generate_series(1, " + ROWS + ") g");
        CaptureSettings settings = settings(old, "restore", "public.items");
        ChangeCapture first = start(settings);
        awaitCloudVersions("site-restore", "public.items", ROWS * 1L);
        first.close();
        long oldGeneration = queryLong(cloud, "SELECT max(generation) FROM mecgw_cloud_rows");
        // when: the site's database is restored from a dump into a fresh server (new initdb, lower LSNs) and the
        // same rows change there
        Path dump = dir.resolve("edge.sql");
        run(pgDump.toString(), "-h", "127.0.0.1", "-p", port(old), "-U", "postgres", "-f", dump.toString(), "postgres");
        EmbeddedPostgres restored = givenAnEdge(Map.of());
        run(
                psql.toString(),
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                port(restored),
                "-U",
                "postgres",
                "-f",
                dump.toString(),
                "postgres");
        assertThat(currentLsn(restored)).isLessThan(currentLsn(old));
        start(settings(restored, "restore", "public.items"));
        // (the restored database is snapshotted first, as a new generation; changing rows while that snapshot runs
        // is a separate race, see docs/sync.md "Ordering")
        await().atMost(ARRIVAL)
                .until(() -> queryLong(
                                cloud, cloudRows("site-restore", "public.items") + " AND generation > " + oldGeneration)
                        == ROWS);
        execute(restored, "UPDATE items SET version = 2");
        // then: the cloud shows the restored database's values
        awaitCloudVersions("site-restore", "public.items", ROWS * 2L);
    }

    @Test
    void shouldRecreateSlotAndSnapshotAgainWhenPostgresInvalidatedIt() throws Exception {
        // given: a small max_slot_wal_keep_size and a replicated critical table
        EmbeddedPostgres edge = givenAnEdge(Map.of("max_slot_wal_keep_size", "48MB", "max_wal_size", "64MB"));
        execute(edge, "CREATE TABLE events (id int PRIMARY KEY, version int NOT NULL)");
        execute(edge, "INSERT INTO events SELECT g, 1 FROM generate_series(1, " + ROWS + ") g");
        CaptureSettings settings = settings(edge, "lost", "public.events");
        ChangeCapture capture = start(settings);
        awaitCloudVersions("site-lost", "public.events", ROWS * 1L);
        // when: the link is cut and the site writes more WAL than the slot may keep
        kafka.backhaul().cut();
        execute(edge, "UPDATE events SET version = 2");
        SlotProbe probe = BackhaulMonitor.slotProbe(edge.getPostgresDatabase(), settings.slotName());
        await().atMost(ARRIVAL).until(() -> {
            advanceWal(edge, 2);
            execute(edge, "CHECKPOINT");
            return probe.read().map(SlotBacklog::lost).orElse(false);
        });
        // then: the guard asks for recovery; dropping the slot and starting over brings the cloud up to date
        SlotBacklog backlog = probe.read().orElseThrow();
        assertThat(BackhaulMonitor.diskGuard(1L << 40, 1L << 41).decide(backlog, false))
                .isEqualTo(DiskGuard.Decision.RECOVER);
        capture.close();
        PostgresSlotReset.reset(edge.getPostgresDatabase(), settings.slotName(), settings.name());
        start(settings);
        kafka.backhaul().restore();
        awaitCloudVersions("site-lost", "public.events", ROWS * 2L);
        assertThat(probe.read())
                .hasValueSatisfying(slot -> assertThat(slot.lost()).isFalse());
    }

    // ---- fixtures

    private EmbeddedPostgres givenAnEdge(Map<String, String> config) throws Exception {
        EmbeddedPostgres.Builder builder = SyncFixture.logicalReplication();
        config.forEach(builder::setServerConfig);
        EmbeddedPostgres edge = builder.start();
        opened.add(edge);
        return edge;
    }

    private ChangeCapture start(CaptureSettings settings) {
        BackhaulMonitor monitor = new BackhaulMonitor(Clock.systemUTC(), Duration.ofSeconds(1));
        KafkaChangeSink sink = KafkaChangeSink.create(kafka.edgeBootstrap(), "zstd", Map.of(), monitor);
        DebeziumChangeCapture capture = new DebeziumChangeCapture(settings, sink);
        opened.add(sink);
        opened.add(capture);
        CaptureFixtures.startAndAwaitRunning(capture, ARRIVAL);
        return capture;
    }

    private static CaptureSettings settings(EmbeddedPostgres edge, String name, String table) {
        return CaptureFixtures.settings(name, "site-" + name, jdbcUrl(edge), table, Duration.ofMillis(200));
    }

    /** Waits until the cloud holds every row of the table and the sum of their versions is {@code versions}. */
    private static void awaitCloudVersions(String site, String table, long versions) {
        await().atMost(ARRIVAL)
                .untilAsserted(() -> assertThat(queryLong(
                                cloud,
                                cloudRows(site, table)
                                        .replace(
                                                "count(*)",
                                                "count(*) * 1000000 + coalesce(sum((data->>'version')::int), 0)")))
                        .isEqualTo(ROWS * 1_000_000L + versions));
    }

    private static String cloudRows(String site, String table) {
        return "SELECT count(*) FROM mecgw_cloud_rows WHERE NOT deleted AND site_id = '" + site + "' AND table_name = '"
                + table + "'";
    }

    // Each switch moves to the next 16 MB WAL segment, so LSNs grow fast without writing much.
    private static void advanceWal(EmbeddedPostgres db, int segments) throws SQLException {
        for (int i = 0; i < segments; i++) {
            execute(db, "CREATE TABLE IF NOT EXISTS wal_filler (n int); INSERT INTO wal_filler VALUES (1)");
            execute(db, "SELECT pg_switch_wal()");
        }
    }

    private static long currentLsn(EmbeddedPostgres db) throws SQLException {
        return queryLong(db, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
    }

    /** A PostgreSQL client tool (package postgresql-client; the embedded server ships without them). */
    private static Path tool(String name) {
        Optional<Path> found = Stream.concat(
                        Stream.of(System.getenv("PATH").split(File.pathSeparator))
                                .map(Path::of),
                        Stream.of("18", "17", "16", "15", "14").map(v -> Path.of("/usr/lib/postgresql", v, "bin")))
                .map(d -> d.resolve(name))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(name + " is missing (apt-get install postgresql-client)");
        }
        Assumptions.assumeTrue(found.isPresent(), name + " not installed: restore test skipped");
        return found.get();
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }

    private static String port(EmbeddedPostgres db) {
        return Integer.toString(db.getPort());
    }
}
