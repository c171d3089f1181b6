package dev.mecgw.sync.cdc;

import static dev.mecgw.testsupport.sync.SyncFixture.connect;
import static dev.mecgw.testsupport.sync.SyncFixture.execute;
import static dev.mecgw.testsupport.sync.SyncFixture.insertInBatches;
import static dev.mecgw.testsupport.sync.SyncFixture.jdbcUrl;
import static dev.mecgw.testsupport.sync.SyncFixture.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.sync.applier.KafkaChangeApplier;
import dev.mecgw.sync.applier.LocalCloud;
import dev.mecgw.sync.backhaul.BackhaulMonitor;
import dev.mecgw.sync.backhaul.BackhaulState;
import dev.mecgw.sync.backhaul.DiskGuard;
import dev.mecgw.sync.backhaul.LinkProbe;
import dev.mecgw.sync.backhaul.SlotBacklog;
import dev.mecgw.sync.kafka.KafkaChangeSink;
import dev.mecgw.sync.policy.FilteringChangeSink;
import dev.mecgw.sync.policy.RowFilter;
import dev.mecgw.testsupport.sync.SyncFixture;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Edge PostgreSQL → Debezium → Kafka (through a cuttable proxy) → applier → cloud PostgreSQL, compared by count and
 * checksum at the end of each scenario (issue 4, tests a–d).
 */
class EdgeToCloudSyncIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(90);

    @RegisterExtension
    static final SyncFixture sync = SyncFixture.edgeKafkaAndCloud();

    static KafkaChangeApplier applier;

    private static final List<Site> SITES = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Site site;

    @BeforeAll
    static void startApplier() throws Exception {
        applier = LocalCloud.startApplier(sync.kafka().cloudBootstrap(), "it-applier", jdbcUrl(sync.cloud()));
    }

    @AfterAll
    static void stopApplier() throws Exception {
        applier.close();
    }

    @AfterEach
    void stopCapture() {
        sync.kafka().backhaul().restore();
        List<Site> started = List.copyOf(SITES);
        SITES.clear();
        started.forEach(Site::close);
    }

    @Test
    void shouldDeliverEveryRowWhenLinkIsSteady() throws Exception {
        // given
        site = givenASite("steady").start();
        // when
        writeRows(site.table, 0, 1500);
        updateEveryThirdRow(site.table);
        deleteEveryTenthRow(site.table);
        // then
        awaitCloudMatchesEdge(site);
    }

    @Test
    void shouldSeeLinkStateWhenProbingIdleBackhaul() throws Exception {
        try (LinkProbe probe = KafkaChangeSink.linkProbe(sync.kafka().edgeBootstrap(), Map.of())) {
            assertThat(probe.reachable(Duration.ofSeconds(10))).isTrue();
            // when
            sync.kafka().backhaul().cut();
            // then
            assertThat(probe.reachable(Duration.ofSeconds(1))).isFalse();
            sync.kafka().backhaul().restore();
            await().atMost(ARRIVAL).until(() -> probe.reachable(Duration.ofSeconds(2)));
        }
    }

    @Test
    void shouldDeliverOnlyRowsPassingFilterWhenTableHasRowFilter() throws Exception {
        // given: rows of device dev-3 and rows with a small amount stay at the site
        String predicate = "device <> 'dev-3' AND amount >= 700";
        site = givenASite("filtered");
        site.filter = RowFilter.parse(site.topicTable(), predicate);
        site.start();
        // when: inserts on both sides of the filter, updates that move rows out of it, deletes
        writeRows(site.table, 0, 1500);
        execute(sync.edge(), "UPDATE " + site.table + " SET device = 'dev-3' WHERE id % 50 = 1");
        updateEveryThirdRow(site.table);
        deleteEveryTenthRow(site.table);
        // then: the cloud holds exactly the edge rows that pass the filter, nothing else
        Checksum expected = checksum(sync.edge(), edgeChecksumSql(site) + " WHERE " + predicate);
        assertThat(expected.count()).isBetween(1000L, 1300L);
        await().atMost(ARRIVAL)
                .untilAsserted(() -> assertThat(cloudChecksum(site)).isEqualTo(expected));
        assertThat(
                        queryLong(
                                sync.cloud(),
                                "SELECT count(*) FROM mecgw_cloud_rows WHERE site_id = 'site-filtered'"
                                        + " AND NOT deleted AND (data->>'device' = 'dev-3' OR (data->>'amount')::bigint < 700)"))
                .isZero();
    }

    @Test
    void shouldDeliverOnceInEffectWhenLinkIsCutSeveralTimesUnderLoad() throws Exception {
        // given
        site = givenASite("cuts").start();
        try (RowWriter writer = new RowWriter(site.table)) {
            // when
            for (int cut = 0; cut < 3; cut++) {
                long acknowledged = site.monitor.acknowledgedTotal();
                await().atMost(ARRIVAL).until(() -> site.monitor.acknowledgedTotal() > acknowledged + 200);
                sync.kafka().backhaul().cut();
                await().atMost(ARRIVAL).until(() -> site.monitor.state() == BackhaulState.DOWN);
                int before = writer.written();
                await().atMost(ARRIVAL).until(() -> writer.written() > before + 300);
                sync.kafka().backhaul().restore();
            }
        }
        // then
        awaitCloudMatchesEdge(site);
    }

    @Test
    void shouldResumeWithoutLossWhenEngineRestartsMidStream() throws Exception {
        // given
        site = givenASite("restart").start();
        try (RowWriter writer = new RowWriter(site.table)) {
            await().atMost(ARRIVAL).until(() -> site.monitor.acknowledgedTotal() > 500);
            // when
            site.close();
            int before = writer.written();
            await().atMost(ARRIVAL).until(() -> writer.written() > before + 500);
            site = site.restarted().start();
        }
        // then
        awaitCloudMatchesEdge(site);
        assertThat(queryLong(sync.edge(), "SELECT count(*) FROM mecgw_sync_offsets WHERE store = 'sync-restart'"))
                .isPositive();
    }

    @Test
    void shouldDeliverEverythingOnceWhenGatewayIsKilledMinus9MidStream() throws Exception {
        // given: the capture runs in a child JVM
        Site killed = givenASite("kill9");
        Process first = startCaptureProcess(killed);
        Process second;
        try (RowWriter writer = new RowWriter(killed.table)) {
            await().atMost(ARRIVAL).until(() -> cloudChecksum(killed).count() > 300);
            // when: SIGKILL, no shutdown hook, no final offset flush
            first.destroyForcibly().waitFor();
            int before = writer.written();
            await().atMost(ARRIVAL).until(() -> writer.written() > before + 300);
            second = startCaptureProcess(killed);
        }
        try {
            // then
            await().atMost(ARRIVAL)
                    .untilAsserted(() -> assertThat(cloudChecksum(killed)).isEqualTo(edgeChecksum(killed)));
        } finally {
            second.destroyForcibly().waitFor();
        }
    }

    private static Process startCaptureProcess(Site site) throws Exception {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CaptureProcess.class.getName(),
                        jdbcUrl(sync.edge()),
                        sync.kafka().edgeBootstrap(),
                        site.settings.name(),
                        site.settings.siteId(),
                        "public." + site.table,
                        site.settings.slotName())
                .redirectErrorStream(true)
                .start();
        java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("RUNNING")) {
            if (line.startsWith("FAILED")) {
                throw new IllegalStateException(line);
            }
        }
        // Keep draining the child's output so that it never blocks on a full pipe.
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "child-output");
        drain.setDaemon(true);
        drain.start();
        return process;
    }

    @Test
    void shouldCatchUpWhenBootingWhileCloudIsUnreachable() throws Exception {
        // given
        sync.kafka().backhaul().cut();
        site = givenASite("offline").start();
        await().atMost(ARRIVAL).until(() -> site.capture.state() == CaptureState.RUNNING);
        // when
        writeRows(site.table, 0, 1000);
        await().atMost(ARRIVAL).until(() -> site.monitor.state() == BackhaulState.DOWN);
        assertThat(cloudChecksum(site).count()).isZero();
        sync.kafka().backhaul().restore();
        // then
        awaitCloudMatchesEdge(site);
    }

    @Test
    void shouldResetOnlyBulkSlotWhenBacklogPassesCapWhileOffline() throws Exception {
        // given: a critical and a bulk capture, both offline, with a backlog
        sync.kafka().backhaul().cut();
        Site critical = givenASite("critical").start();
        Site bulk = givenASite("bulk").start();
        writeRows(critical.table, 0, 300);
        writeRows(bulk.table, 0, 3000);
        DiskGuard guard = BackhaulMonitor.diskGuard(20_000, 200_000);
        await().atMost(ARRIVAL).until(() -> backlog(bulk).bytes() >= 200_000);
        // when
        assertThat(guard.decide(backlog(critical), false)).isEqualTo(DiskGuard.Decision.ALARM);
        assertThat(guard.decide(backlog(bulk), true)).isEqualTo(DiskGuard.Decision.RESET);
        bulk.close();
        PostgresSlotReset.reset(sync.edge().getPostgresDatabase(), bulk.settings.slotName(), bulk.settings.name());
        // then: the bulk slot released its WAL, the critical one kept it, and both arrive once the link is back
        assertThat(BackhaulMonitor.slotProbe(sync.edge().getPostgresDatabase(), bulk.settings.slotName())
                        .read())
                .isEmpty();
        assertThat(backlog(critical).bytes()).isGreaterThan(20_000);
        Site bulkAgain = bulk.restarted().start();
        sync.kafka().backhaul().restore();
        awaitCloudMatchesEdge(critical);
        awaitCloudMatchesEdge(bulkAgain);
    }

    // ---- fixtures

    private static SlotBacklog backlog(Site site) throws SQLException {
        return BackhaulMonitor.slotProbe(sync.edge().getPostgresDatabase(), site.settings.slotName())
                .read()
                .orElseThrow();
    }

    private Site givenASite(String name) throws SQLException {
        String table = "readings_" + name;
        execute(
                sync.edge(),
                "CREATE TABLE " + table + " (id bigint PRIMARY KEY, device text NOT NULL,"
                        + " version int NOT NULL, amount bigint NOT NULL, at timestamptz NOT NULL DEFAULT now())");
        CaptureSettings settings = CaptureFixtures.settings(
                name, "site-" + name, jdbcUrl(sync.edge()), "public." + table, Duration.ofMillis(500));
        return new Site(settings, table);
    }

    private static final class Site implements AutoCloseable {
        final CaptureSettings settings;
        final String table;
        final BackhaulMonitor monitor = new BackhaulMonitor(Clock.systemUTC(), Duration.ofSeconds(1));
        KafkaChangeSink sink;
        RowFilter filter;
        ChangeCapture capture;

        Site(CaptureSettings settings, String table) {
            this.settings = settings;
            this.table = table;
        }

        Site start() {
            SITES.add(this);
            sink = KafkaChangeSink.create(sync.kafka().edgeBootstrap(), "zstd", Map.of(), monitor);
            capture = new DebeziumChangeCapture(
                    settings, filter == null ? sink : new FilteringChangeSink(sink, Map.of(filter.table(), filter)));
            CaptureFixtures.startAndAwaitRunning(capture, ARRIVAL);
            return this;
        }

        Site restarted() {
            return new Site(settings, table);
        }

        String topicTable() {
            return "public." + table;
        }

        @Override
        public void close() {
            if (capture != null) {
                capture.close();
                sink.close();
            }
        }
    }

    record Checksum(long count, long sum) {}

    private void awaitCloudMatchesEdge(Site site) {
        await().atMost(ARRIVAL)
                .untilAsserted(() -> assertThat(cloudChecksum(site))
                        .as(
                                "cloud vs edge; acknowledged %d, applied %d, skipped %d, capture %s %s",
                                site.monitor.acknowledgedTotal(),
                                applier.appliedTotal(),
                                applier.skippedTotal(),
                                site.capture.state(),
                                site.capture.failure().orElse(""))
                        .isEqualTo(edgeChecksum(site)));
    }

    private static Checksum edgeChecksum(Site site) throws SQLException {
        return checksum(sync.edge(), edgeChecksumSql(site));
    }

    private static String edgeChecksumSql(Site site) {
        return "SELECT count(*), coalesce(sum(hashtext(id || '|' || device || '|' || version || '|' || amount)), 0)"
                + " FROM " + site.table;
    }

    private static Checksum cloudChecksum(Site site) throws SQLException {
        return checksum(
                sync.cloud(),
                "SELECT count(*), coalesce(sum(hashtext((data->>'id') || '|' || (data->>'device')"
                        + " || '|' || (data->>'version') || '|' || (data->>'amount'))), 0) FROM mecgw_cloud_rows"
                        + " WHERE NOT deleted AND site_id = '" + site.settings.siteId() + "' AND table_name = '"
                        + site.topicTable() + "'");
    }

    private static Checksum checksum(EmbeddedPostgres db, String sql) throws SQLException {
        try (Connection connection = connect(db);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return new Checksum(rows.getLong(1), rows.getLong(2));
        }
    }

    private static void writeRows(String table, long from, int count) throws SQLException {
        insertInBatches(
                sync.edge(),
                "INSERT INTO " + table + " (id, device, version, amount) VALUES (?, ?, 1, ?)",
                from,
                count,
                (insert, id) -> {
                    insert.setLong(1, id);
                    insert.setString(2, "dev-" + (id % 17));
                    insert.setLong(3, id * 7);
                });
    }

    private static void updateEveryThirdRow(String table) throws SQLException {
        execute(sync.edge(), "UPDATE " + table + " SET version = version + 1, amount = amount + 1 WHERE id % 3 = 0");
        execute(sync.edge(), "UPDATE " + table + " SET version = version + 1, amount = amount * 2 WHERE id % 6 = 0");
    }

    private static void deleteEveryTenthRow(String table) throws SQLException {
        execute(sync.edge(), "DELETE FROM " + table + " WHERE id % 10 = 0");
    }

    /**
     * Writes to the edge table in the background until closed: each round inserts 50 rows in one transaction and
     * updates a few hot keys, so per-key order matters. It runs until the test stops it, never for a fixed count
     * that the test's waits could outlast, and a fixed delay between rounds bounds the table's growth by time, not
     * by how fast the machine writes. Closing it stops it and rethrows a failed round.
     */
    private static final class RowWriter implements AutoCloseable {

        private static final Duration PACE = Duration.ofMillis(20);

        private final String table;
        private final AtomicInteger written = new AtomicInteger();
        private final CompletableFuture<Void> failed = new CompletableFuture<>();
        private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor();
        private long round;

        RowWriter(String table) {
            this.table = table;
            rounds.scheduleWithFixedDelay(this::round, 0, PACE.toMillis(), TimeUnit.MILLISECONDS);
        }

        int written() {
            return written.get();
        }

        private void round() {
            try {
                writeRows(table, round * 50L, 50);
                execute(
                        sync.edge(),
                        "UPDATE " + table + " SET version = version + 1, amount = amount + " + round
                                + " WHERE id % 97 = 0");
                round++;
                written.addAndGet(50);
            } catch (SQLException | RuntimeException e) {
                failed.completeExceptionally(e);
                // an exception ends the schedule; the test sees it when it closes the writer
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws Exception {
            rounds.shutdown();
            assertThat(rounds.awaitTermination(ARRIVAL.toSeconds(), TimeUnit.SECONDS))
                    .as("writer round finished")
                    .isTrue();
            if (failed.isCompletedExceptionally()) {
                failed.get();
            }
        }
    }
}
