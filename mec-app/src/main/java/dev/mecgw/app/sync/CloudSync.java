package dev.mecgw.app.sync;

import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.gateway.GatewayConfig;
import dev.mecgw.app.gateway.PhaseGate;
import dev.mecgw.app.gateway.StopDeadline;
import dev.mecgw.app.store.Jdbc;
import dev.mecgw.sync.backhaul.BackhaulMonitor;
import dev.mecgw.sync.backhaul.BacklogEstimate;
import dev.mecgw.sync.backhaul.DiskGuard;
import dev.mecgw.sync.backhaul.SlotBacklog;
import dev.mecgw.sync.cdc.CaptureSettings;
import dev.mecgw.sync.cdc.ChangeSink;
import dev.mecgw.sync.cdc.DebeziumChangeCapture;
import dev.mecgw.sync.cdc.LaneGate;
import dev.mecgw.sync.downlink.KafkaDownlinkConsumer;
import dev.mecgw.sync.kafka.KafkaChangeSink;
import dev.mecgw.sync.policy.FilteringChangeSink;
import dev.mecgw.sync.policy.RowFilter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The gateway's sync to the cloud (entry of the area): at {@link #start()} one capture per priority class (critical
 * tables, bulk tables) and the downlink consumer when {@code mecgw.sync.kafka.bootstrap-servers} is set, stopped by
 * {@link #stop()}; the periodic work ({@link #probeBackhaul}, {@link #sampleBacklog}, {@link #guardDisk}) is called by
 * the area's timers, and {@link #status()} answers health, metrics and the console either way. Blocking (JDBC, Kafka
 * clients); called from start-up, shutdown and worker threads, never from an event loop.
 *
 * <p>The timers' work runs through one {@link PhaseGate} that {@link #stop()} closes first and that waits for the runs
 * in flight, so that a disk-guard reset or a probe still running cannot restart a capture or build the downlink
 * consumer after the stop. It is the timers' only gate (review 10, 4): a gate of a timer's own around it would be
 * closed by another SYNC_STOP observer, and one hung run then cost both gates' bounds, 60 s, all of
 * {@code ExitHook}'s wait.
 */
public final class CloudSync {

    private static final Logger LOG = Logger.getLogger(CloudSync.class);

    /**
     * The local database the captures read: the JDBC URL and credentials Debezium connects with (it opens its own
     * replication connection), and the pool for everything else.
     */
    public record Database(String jdbcUrl, String username, String password, DataSource pool) {}

    /**
     * What the sync is built from; {@code events} and {@code meters} record a slot PostgreSQL invalidated, {@code stop}
     * is the shutdown's deadline that bounds the timers' gate with every other gate's.
     */
    public record Parts(
            SyncConfig config,
            GatewayConfig gateway,
            Database database,
            EventLog events,
            MeterRegistry meters,
            DownlinkHandoff handoff,
            StopDeadline stop) {}

    private final SyncConfig config;
    private final GatewayConfig gateway;
    private final Database database;
    private final SlotRecovery recovery;
    private final CloudClients clients;
    /** Copy-on-write: the timers, health and metrics iterate it while start-up adds to it. */
    private final List<SyncChannel> channels = new CopyOnWriteArrayList<>();
    /** Issue 14.7: the bulk capture pauses while the critical one has changes waiting for the cloud. */
    private final LaneGate lanes;

    private final DiskGuard guard;
    /** Closed by {@link #stop()}: the timers' work does nothing afterwards. */
    private final PhaseGate timers;

    public CloudSync(Parts parts) {
        this.config = parts.config();
        this.gateway = parts.gateway();
        this.database = parts.database();
        this.recovery = new SlotRecovery(parts.database().pool(), parts.events(), parts.meters());
        this.clients = new CloudClients(
                parts.config(), parts.gateway().siteId(), parts.database().pool(), parts.handoff());
        this.lanes = DebeziumChangeCapture.laneGate(parts.config().bulkMaxPause());
        this.guard = BackhaulMonitor.diskGuard(
                parts.config().backlogAlarmBytes(), parts.config().bulkBacklogCapBytes());
        this.timers = new PhaseGate("cloud sync timers (probe, backlog, disk guard, status)", parts.stop());
    }

    /**
     * Starts the captures and the cloud clients; without a cloud, only warns about replication slots an earlier
     * configuration left behind.
     *
     * @throws IOException when the mask secret can be neither read nor created
     * @throws SQLException when the row filters cannot be checked against the database
     * @throws IllegalArgumentException naming the key when a setting is not valid (row filter, downlink pass-through)
     */
    public void start() throws IOException, SQLException {
        Optional<String> bootstrap = config.kafka().bootstrapServers();
        if (bootstrap.isEmpty()) {
            LOG.info("sync to the cloud: not configured (set mecgw.sync.kafka.bootstrap-servers to enable)");
            new LeftoverSlots(new Jdbc(database.pool(), "Replication slots")).warn(config.slotName());
            return;
        }
        // A pass-through property that would break the downlink's exactly-once effect is refused now, naming the key,
        // not on the probe tick that first builds the consumer once the backhaul is up.
        KafkaDownlinkConsumer.checkSettings(
                bootstrap.get(), gateway.siteId(), config.kafka().properties());
        config.maxSlotWalKeepSize()
                .map(WalKeepSize::new)
                .ifPresent(size -> size.apply(new Jdbc(database.pool(), "Replication slots")));
        byte[] secret = MaskSecret.load(config.maskSecret(), gateway.dataDir());
        List<String> replicated = new ArrayList<>(config.tables());
        replicated.addAll(config.bulkTables());
        Map<String, RowFilter> filters = RowFilterPolicy.load(config.rowFilters(), replicated, database.pool());
        channels.add(
                channel("mecgw-sync", config.tables(), config.slotName(), false, bootstrap.get(), secret, filters));
        if (!config.bulkTables().isEmpty()) {
            channels.add(channel(
                    "mecgw-sync-bulk",
                    config.bulkTables(),
                    config.slotName() + "_bulk",
                    true,
                    bootstrap.get(),
                    secret,
                    filters));
        }
        channels.forEach(SyncChannel::start);
        clients.connect(bootstrap.get());
        LOG.infof(
                "sync to the cloud: capturing %s and bulk %s to %s; row filters %s",
                config.tables(), config.bulkTables(), bootstrap.get(), filters.values());
    }

    /**
     * Stops the timers' work (after the runs in flight), then the downlink, the captures and the link probe; the
     * timers do nothing afterwards, and only {@link #status()} still reads, for health and metrics. Not bounded as a
     * whole: a disk-guard run that the gate's close gave up on may be inside a capture's close, holding its channel,
     * and the stop of that channel here then waits for that close, however long it takes.
     */
    public void stop() {
        timers.close();
        clients.close();
        channels.forEach(SyncChannel::stop);
    }

    /**
     * Retries failed captures and the cloud Kafka clients, then probes the link of the idle captures: a producer
     * notices a dead link only when it has something to send, so that health shows the backhaul as it is.
     *
     * @param timeout how long the probe waits for the cloud Kafka
     * @throws InterruptedException when interrupted while probing
     */
    public void probeBackhaul(Duration timeout) throws InterruptedException {
        timers.run(() -> probeNow(timeout));
    }

    private void probeNow(Duration timeout) throws InterruptedException {
        if (clients.started()) {
            channels.forEach(SyncChannel::retry);
            clients.reconnect();
        }
        List<SyncChannel> idle =
                channels.stream().filter(c -> c.monitor().inFlight() == 0).toList();
        if (idle.isEmpty()) {
            return;
        }
        clients.reachable(timeout)
                .ifPresent(
                        reachable -> idle.forEach(channel -> channel.monitor().probed(reachable)));
    }

    /** Samples the backlog rows and age of every capture (docs/sync.md "Backlog rows and age"). */
    public void sampleBacklog() {
        timers.run(() -> channels.forEach(SyncChannel::sampleBacklog));
    }

    /**
     * Recreates a slot PostgreSQL invalidated (issue 14.3) and resets a bulk slot whose backlog passed
     * {@code mecgw.sync.bulk-backlog-cap-bytes}, so that its tables are snapshotted again instead of the disk filling.
     */
    public void guardDisk() {
        timers.run(() -> new SlotGuard(guard, recovery, config.bulkBacklogCapBytes()).check(channels));
    }

    /**
     * Runs a timer's {@code job} that reads the {@link #status()} (the timeline, the heartbeat) unless {@link #stop()}
     * began; the stop waits for it, so that no such job reads the store after SYNC stopped.
     */
    public void whileRunning(Runnable job) {
        timers.run(job::run);
    }

    /** For tests of the timers' work against a channel built without {@link #start()}. */
    void add(SyncChannel channel) {
        channels.add(channel);
    }

    /**
     * @param priorityClass {@code critical} or {@code bulk}
     * @return that class's latest backlog estimate; empty when sync is not configured or the class has no tables
     */
    public Optional<BacklogEstimate> backlogEstimate(String priorityClass) {
        return channel(priorityClass).map(SyncChannel::backlogEstimate);
    }

    /** @return WAL bytes the class's slot retains; one query of {@code pg_replication_slots}, empty when unknown */
    public Optional<Long> backlogBytes(String priorityClass) {
        return channel(priorityClass).flatMap(SyncChannel::backlog).map(SlotBacklog::bytes);
    }

    /** @return downlink messages the local store refused for good and that were skipped, since start */
    public long downlinkRefused() {
        return clients.downlinkRefused();
    }

    /** @return the current sync status; cheap except for one query of {@code pg_replication_slots} per class */
    public SyncStatus status() {
        return StatusSummary.of(channels, guard, Instant.now());
    }

    private Optional<SyncChannel> channel(String priorityClass) {
        return channels.stream()
                .filter(c -> c.priorityClass().equals(priorityClass))
                .findFirst();
    }

    private SyncChannel channel(
            String name,
            List<String> tables,
            String slot,
            boolean bulk,
            String bootstrap,
            byte[] secret,
            Map<String, RowFilter> filters) {
        CaptureSettings settings = new CaptureSettings(
                name,
                gateway.siteId(),
                database.jdbcUrl(),
                database.username(),
                database.password(),
                tables,
                slot,
                slot,
                config.offsetFlushInterval(),
                config.debezium());
        BackhaulMonitor monitor = new BackhaulMonitor(Clock.systemUTC(), config.downAfter());
        Supplier<ChangeSink> sinks = () -> FilteringChangeSink.withMasks(
                KafkaChangeSink.create(
                        bootstrap, config.kafka().compression(), config.kafka().properties(), monitor),
                filters,
                config.maskColumns(),
                config.maskPaths(),
                secret);
        return new SyncChannel(settings, bulk, monitor, sinks, bulk ? lanes.bulk() : lanes.critical(), database.pool());
    }
}
