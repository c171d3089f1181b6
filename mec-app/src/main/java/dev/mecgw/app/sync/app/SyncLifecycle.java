package dev.mecgw.app.sync.app;

import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.gateway.GatewayConfig;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.sync.DownlinkHandoff;
import dev.mecgw.app.sync.MaskSecret;
import dev.mecgw.app.sync.RowFilterPolicy;
import dev.mecgw.app.sync.SyncChannel;
import dev.mecgw.app.sync.SyncConfig;
import dev.mecgw.app.sync.SyncStatus;
import dev.mecgw.app.twin.CommandDispatcher;
import dev.mecgw.app.twin.DeviceMessenger;
import dev.mecgw.app.twin.DeviceUpdatePublisher;
import dev.mecgw.app.twin.TwinStore;
import dev.mecgw.sync.backhaul.BackhaulMonitor;
import dev.mecgw.sync.backhaul.BackhaulState;
import dev.mecgw.sync.backhaul.BacklogEstimate;
import dev.mecgw.sync.backhaul.DiskGuard;
import dev.mecgw.sync.backhaul.LinkProbe;
import dev.mecgw.sync.backhaul.SlotBacklog;
import dev.mecgw.sync.cdc.CaptureSettings;
import dev.mecgw.sync.cdc.CaptureState;
import dev.mecgw.sync.cdc.ChangeSink;
import dev.mecgw.sync.cdc.DebeziumChangeCapture;
import dev.mecgw.sync.cdc.LaneGate;
import dev.mecgw.sync.downlink.KafkaDownlinkConsumer;
import dev.mecgw.sync.kafka.KafkaChangeSink;
import dev.mecgw.sync.policy.FilteringChangeSink;
import dev.mecgw.sync.policy.RowFilter;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.apache.kafka.common.KafkaException;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Starts one capture per priority class (critical tables, bulk tables) and the downlink consumer at start-up when
 * {@code mecgw.sync.kafka.bootstrap-servers} is set, stops them at shutdown, and answers {@link #status()} for health
 * and metrics either way. The periodic work runs in {@link BackhaulProbeSchedule}, {@link BacklogSampling} and
 * {@link DiskGuardSchedule}.
 */
@ApplicationScoped
public class SyncLifecycle {

    private static final Logger LOG = Logger.getLogger(SyncLifecycle.class);

    private final SyncConfig config;
    private final GatewayConfig gateway;
    private final Config rawConfig;
    private final AgroalDataSource dataSource;
    private final EventLog events;
    private final MeterRegistry meters;
    private final List<SyncChannel> channels = new ArrayList<>();
    /** Issue 14.7: the bulk capture pauses while the critical one has changes waiting for the cloud. */
    private final LaneGate lanes = DebeziumChangeCapture.laneGate(Duration.ofMinutes(5));

    private DiskGuard guard;
    /** Volatile: the metrics read it without the lock that building it holds. */
    private volatile KafkaDownlinkConsumer downlink;

    private LinkProbe probe;
    private String bootstrap;

    private final DownlinkHandoff handoff;

    SyncLifecycle(
            SyncConfig config,
            GatewayConfig gateway,
            Config rawConfig,
            AgroalDataSource dataSource,
            EventLog events,
            MeterRegistry meters,
            CommandDispatcher commands,
            TwinStore twins,
            DeviceMessenger messenger,
            DeviceUpdatePublisher coap) {
        this.config = config;
        this.gateway = gateway;
        this.rawConfig = rawConfig;
        this.dataSource = dataSource;
        this.events = events;
        this.meters = meters;
        this.handoff = new DownlinkHandoff(commands, twins, messenger, coap);
    }

    void onStart(@Observes @Priority(LifecyclePhase.Order.SYNC_START) StartupEvent event)
            throws java.io.IOException, SQLException {
        Optional<String> bootstrap = config.kafka().bootstrapServers();
        if (bootstrap.isEmpty()) {
            LOG.info("sync to the cloud: not configured (set mecgw.sync.kafka.bootstrap-servers to enable)");
            warnAboutLeftoverSlots();
            return;
        }
        // A pass-through property that would break the downlink's exactly-once effect is refused now, naming the key,
        // not on the probe tick that first builds the consumer once the backhaul is up.
        KafkaDownlinkConsumer.checkSettings(
                bootstrap.get(), gateway.siteId(), config.kafka().properties());
        guard = BackhaulMonitor.diskGuard(config.backlogAlarmBytes(), config.bulkBacklogCapBytes());
        config.maxSlotWalKeepSize().ifPresent(this::applyWalKeepSize);
        byte[] secret = MaskSecret.load(config.maskSecret(), gateway.dataDir());
        List<String> replicated = new ArrayList<>(config.tables());
        replicated.addAll(config.bulkTables());
        Map<String, RowFilter> filters = RowFilterPolicy.load(config.rowFilters(), replicated, dataSource);
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
        this.bootstrap = bootstrap.get();
        connectClients();
        LOG.infof(
                "sync to the cloud: capturing %s and bulk %s to %s; row filters %s",
                config.tables(), config.bulkTables(), bootstrap.get(), filters.values());
    }

    void onStop(@Observes @Priority(LifecyclePhase.Order.SYNC_STOP) ShutdownEvent event) {
        bootstrap = null;
        if (downlink != null) {
            downlink.close();
        }
        channels.forEach(SyncChannel::stop);
        if (probe != null) {
            probe.close();
        }
    }

    /**
     * Retries failed captures and the cloud Kafka clients, then probes the link of the idle captures: a producer
     * notices a dead link only when it has something to send, so that health shows the backhaul as it is.
     */
    void probeBackhaul(Duration timeout) throws InterruptedException {
        if (bootstrap != null) {
            channels.forEach(SyncChannel::retry);
            connectClients();
        }
        List<SyncChannel> idle =
                channels.stream().filter(c -> c.monitor().inFlight() == 0).toList();
        if (probe == null || idle.isEmpty()) {
            return;
        }
        boolean reachable = probe.reachable(timeout);
        idle.forEach(channel -> channel.monitor().probed(reachable));
    }

    // Kafka clients refuse to be built while the bootstrap name does not resolve; the gateway must run on without
    // its backhaul, so the probe and the downlink are built here and again on every probe tick until they exist.
    private synchronized void connectClients() {
        try {
            if (probe == null) {
                probe = KafkaChangeSink.linkProbe(bootstrap, config.kafka().properties());
            }
            if (downlink == null) {
                startDownlink(bootstrap);
            }
        } catch (KafkaException e) {
            LOG.debugf("cloud Kafka clients not created yet: %s", SyncChannel.rootMessage(e));
        }
    }

    private void startDownlink(String bootstrap) {
        downlink = KafkaDownlinkConsumer.create(
                bootstrap, gateway.siteId(), config.kafka().properties(), dataSource, handoff);
        BasicThreadFactory.builder()
                .namingPattern("mecgw-sync-downlink")
                .daemon(true)
                .build()
                .newThread(downlink)
                .start();
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
                rawConfig.getValue("quarkus.datasource.jdbc.url", String.class),
                rawConfig
                        .getOptionalValue("quarkus.datasource.username", String.class)
                        .orElse(null),
                rawConfig
                        .getOptionalValue("quarkus.datasource.password", String.class)
                        .orElse(null),
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
        return new SyncChannel(settings, bulk, monitor, sinks, bulk ? lanes.bulk() : lanes.critical(), dataSource);
    }

    /** Samples the backlog rows and age of every capture (docs/sync.md "Backlog rows and age"). */
    void sampleBacklog() {
        channels.forEach(SyncChannel::sampleBacklog);
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

    private Optional<SyncChannel> channel(String priorityClass) {
        return channels.stream()
                .filter(c -> c.priorityClass().equals(priorityClass))
                .findFirst();
    }

    /** The running captures, critical first; empty when sync is not configured. */
    List<SyncChannel> channels() {
        return List.copyOf(channels);
    }

    /**
     * Stops a capture, drops its slot and stored offsets, and starts it again from a snapshot (disk guard reset, or
     * issue 14.3: a slot PostgreSQL invalidated).
     *
     * @return false when interrupted (stop guarding)
     */
    boolean recover(SyncChannel channel, DiskGuard.Decision decision) {
        if (decision == DiskGuard.Decision.RECOVER) {
            recordSlotLost(channel);
        }
        return restartFromSnapshot(channel);
    }

    // Issue 14.3: PostgreSQL invalidated the slot (past max_slot_wal_keep_size); it can never stream again.
    private void recordSlotLost(SyncChannel channel) {
        LOG.errorf(
                "sync: PostgreSQL invalidated replication slot %s (WAL past max_slot_wal_keep_size was removed);"
                        + " recreating it and snapshotting %s again",
                channel.settings().slotName(), channel.settings().tables());
        meters.counter("mecgw.sync.slot.recoveries", "class", channel.priorityClass())
                .increment();
        try {
            events.record(
                    null,
                    "sync.slot.lost",
                    "alarm",
                    Map.of(
                            "slot",
                            channel.settings().slotName(),
                            "class",
                            channel.priorityClass(),
                            "tables",
                            channel.settings().tables()));
        } catch (RuntimeException e) {
            LOG.errorf("sync: the slot-lost event could not be recorded: %s", e.getMessage());
        }
    }

    /** @return false when interrupted (stop guarding) */
    private boolean restartFromSnapshot(SyncChannel channel) {
        channel.stop();
        try {
            DebeziumChangeCapture.resetSlot(
                    dataSource,
                    channel.settings().slotName(),
                    channel.settings().name());
        } catch (SQLException e) {
            LOG.errorf(
                    "sync disk guard could not reset slot %s: %s",
                    channel.settings().slotName(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        channel.start();
        return true;
    }

    // A slot left from an earlier configuration keeps WAL forever; an operator must know before the disk fills.
    private void warnAboutLeftoverSlots() {
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement(
                        "SELECT string_agg(slot_name, ', ') FROM pg_replication_slots WHERE slot_name LIKE ?")) {
            statement.setString(1, config.slotName() + "%");
            try (var row = statement.executeQuery()) {
                String slots = row.next() ? row.getString(1) : null;
                if (slots != null) {
                    LOG.warnf(
                            "sync is off but replication slots %s still retain WAL; if sync stays off, drop them"
                                    + " with SELECT pg_drop_replication_slot('<name>')",
                            slots);
                }
            }
        } catch (SQLException e) {
            LOG.debugf("could not look for leftover replication slots: %s", e.getMessage());
        }
    }

    private void applyWalKeepSize(String size) {
        try (var connection = dataSource.getConnection();
                var statement = connection.createStatement()) {
            statement.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '" + size + "'");
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            LOG.warnf("could not set max_slot_wal_keep_size (needs a superuser): %s", e.getMessage());
        }
    }

    /** @return downlink messages the local store refused for good and that were skipped, since start */
    long downlinkRefused() {
        KafkaDownlinkConsumer running = downlink;
        return running == null ? 0 : running.refusedTotal();
    }

    /** @return the current sync status; cheap except for one query of {@code pg_replication_slots} per class */
    public SyncStatus status() {
        if (channels.isEmpty()) {
            return SyncStatus.notConfigured();
        }
        CaptureState worst = CaptureState.RUNNING;
        BackhaulState backhaul = BackhaulState.UNKNOWN;
        Instant last = null;
        long inFlight = 0;
        long acknowledged = 0;
        long backlogBytes = 0;
        Duration lag = Duration.ZERO;
        boolean alarm = false;
        for (SyncChannel channel : channels) {
            var capture = channel.capture();
            CaptureState state = capture == null ? CaptureState.STARTING : capture.state();
            Optional<SlotBacklog> backlog = channel.backlog();
            if (state == CaptureState.FAILED && backlog.map(SlotBacklog::lost).orElse(false)) {
                // the disk guard recreates a lost slot (issue 14.3); devices are served meanwhile: stay ready
                state = CaptureState.STARTING;
            }
            worst = state.ordinal() > worst.ordinal() || state == CaptureState.STARTING ? state : worst;
            backhaul = worse(backhaul, channel.monitor().state());
            Instant success = channel.monitor().lastSuccess().orElse(null);
            last = success != null && (last == null || success.isAfter(last)) ? success : last;
            inFlight += channel.monitor().inFlight();
            acknowledged += channel.monitor().acknowledgedTotal();
            lag = channel.monitor().lag().compareTo(lag) > 0 ? channel.monitor().lag() : lag;
            backlogBytes += backlog.map(SlotBacklog::bytes).orElse(0L);
            alarm |= backlog.map(b -> guard.decide(b, false) != DiskGuard.Decision.OK)
                    .orElse(false);
        }
        BacklogEstimate rows =
                channels.stream().map(SyncChannel::backlogEstimate).reduce(BacklogEstimate.NONE, BacklogEstimate::plus);
        return new SyncStatus(
                worst,
                backhaul,
                Optional.ofNullable(last),
                inFlight,
                acknowledged,
                backlogBytes,
                lag,
                rows.rows(),
                rows.oldestAge(Instant.now()),
                rows.complete(),
                alarm);
    }

    private static BackhaulState worse(BackhaulState a, BackhaulState b) {
        if (a == BackhaulState.DOWN || b == BackhaulState.DOWN) {
            return BackhaulState.DOWN;
        }
        return a == BackhaulState.UP || b == BackhaulState.UP ? BackhaulState.UP : BackhaulState.UNKNOWN;
    }
}
