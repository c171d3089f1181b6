package dev.mecgw.app.sync.app;

import dev.mecgw.app.gateway.GatewayConfig;
import dev.mecgw.app.sync.SyncConfig;
import dev.mecgw.app.sync.SyncStatus;
import dev.mecgw.sync.backhaul.BackhaulMonitor;
import dev.mecgw.sync.backhaul.PostgresSlotProbe;
import dev.mecgw.sync.backhaul.SlotBacklog;
import dev.mecgw.sync.cdc.CaptureSettings;
import dev.mecgw.sync.cdc.ChangeCapture;
import dev.mecgw.sync.cdc.DebeziumChangeCapture;
import dev.mecgw.sync.kafka.KafkaChangeSink;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Starts the capture to the cloud at start-up when {@code mecgw.sync.kafka.bootstrap-servers} is set, stops it at
 * shutdown, and answers {@link #status()} for health and metrics either way.
 */
@ApplicationScoped
public class SyncLifecycle {

    private static final Logger LOG = Logger.getLogger(SyncLifecycle.class);

    private final SyncConfig config;
    private final GatewayConfig gateway;
    private final Config rawConfig;
    private final AgroalDataSource dataSource;
    private BackhaulMonitor monitor;
    private KafkaChangeSink sink;
    private ChangeCapture capture;
    private PostgresSlotProbe probe;

    SyncLifecycle(SyncConfig config, GatewayConfig gateway, Config rawConfig, AgroalDataSource dataSource) {
        this.config = config;
        this.gateway = gateway;
        this.rawConfig = rawConfig;
        this.dataSource = dataSource;
    }

    void onStart(@Observes StartupEvent event) {
        Optional<String> bootstrap = config.kafka().bootstrapServers();
        if (bootstrap.isEmpty()) {
            LOG.info("sync to the cloud: not configured (set mecgw.sync.kafka.bootstrap-servers to enable)");
            return;
        }
        monitor = new BackhaulMonitor(Clock.systemUTC(), config.downAfter());
        sink = KafkaChangeSink.create(bootstrap.get(), config.kafka().compression(), config.kafka().properties(),
                monitor);
        capture = new DebeziumChangeCapture(settings(), sink);
        probe = new PostgresSlotProbe(dataSource, config.slotName());
        capture.start();
        LOG.infof("sync to the cloud: capturing %s to %s", config.tables(), bootstrap.get());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (capture != null) {
            capture.close();
            sink.close();
        }
    }

    private CaptureSettings settings() {
        return new CaptureSettings("mecgw-sync", gateway.siteId(),
                rawConfig.getValue("quarkus.datasource.jdbc.url", String.class),
                rawConfig.getOptionalValue("quarkus.datasource.username", String.class).orElse(null),
                rawConfig.getOptionalValue("quarkus.datasource.password", String.class).orElse(null),
                config.tables(), config.slotName(), config.slotName(), config.offsetFlushInterval(),
                config.debezium());
    }

    /** @return the current sync status; cheap except for one query of {@code pg_replication_slots} */
    public SyncStatus status() {
        if (capture == null) {
            return SyncStatus.notConfigured();
        }
        Optional<SlotBacklog> backlog = readBacklog();
        boolean alarm = backlog.map(b -> b.bytes() >= config.backlogAlarmBytes()
                || "unreserved".equals(b.walStatus()) || "lost".equals(b.walStatus())).orElse(false);
        return new SyncStatus(capture.state(), monitor.state(), monitor.lastSuccess(), monitor.inFlight(),
                monitor.acknowledgedTotal(), backlog, alarm);
    }

    private Optional<SlotBacklog> readBacklog() {
        try {
            return probe.read();
        } catch (SQLException e) {
            LOG.debugf("replication slot backlog unavailable: %s", e.getMessage());
            return Optional.empty();
        }
    }
}
