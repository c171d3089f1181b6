package dev.mecgw.app.sync.app;

import dev.mecgw.app.gateway.GatewayConfig;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.sync.SyncChannel;
import dev.mecgw.app.sync.SyncConfig;
import dev.mecgw.app.sync.SyncStatus;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.model.ModelRegistry;
import dev.mecgw.sync.backhaul.BackhaulState;
import dev.mecgw.sync.heartbeat.Heartbeat;
import dev.mecgw.sync.heartbeat.KafkaHeartbeatSender;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.apache.kafka.common.KafkaException;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Sends the gateway heartbeat (CONTRACT-sync §2) every {@code mecgw.sync.heartbeat-interval} while sync is configured
 * and the backhaul is not down, with the change sink's Kafka settings (TLS, SASL). A missed heartbeat is not sent late.
 */
@ApplicationScoped
public class SyncHeartbeat {

    private static final Logger LOG = Logger.getLogger(SyncHeartbeat.class);

    private final SyncConfig config;
    private final GatewayConfig gateway;
    private final SyncLifecycle sync;
    private final AgroalDataSource dataSource;
    private final Instance<ModelRegistry> models;
    private final Instance<SmallRyeHealthReporter> health;
    private final String version;
    private ScheduledExecutorService timer;
    private KafkaHeartbeatSender sender;

    SyncHeartbeat(
            SyncConfig config,
            GatewayConfig gateway,
            SyncLifecycle sync,
            AgroalDataSource dataSource,
            Instance<ModelRegistry> models,
            Instance<SmallRyeHealthReporter> health,
            Config rawConfig) {
        this.config = config;
        this.gateway = gateway;
        this.sync = sync;
        this.dataSource = dataSource;
        this.models = models;
        this.health = health;
        this.version = rawConfig
                .getOptionalValue("quarkus.application.version", String.class)
                .orElse("unknown");
    }

    void onStart(@Observes @Priority(LifecyclePhase.Order.SYNC_START) StartupEvent event) {
        if (config.kafka().bootstrapServers().isEmpty()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(BasicThreadFactory.builder()
                .namingPattern("mecgw-sync-heartbeat")
                .daemon(true)
                .build());
        long period = config.heartbeatInterval().toMillis();
        timer.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes @Priority(LifecyclePhase.Order.SYNC_STOP) ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (sender != null) {
            sender.close();
        }
    }

    private void beat() {
        try {
            SyncStatus status = sync.status();
            if (status.backhaul() == BackhaulState.DOWN) {
                return;
            }
            if (sender == null) {
                // Built lazily: the client refuses a bootstrap name that does not resolve while the backhaul is down.
                sender = KafkaHeartbeatSender.create(
                        config.kafka().bootstrapServers().orElseThrow(),
                        config.heartbeatInterval(),
                        config.kafka().properties());
            }
            long[] devices = devices();
            sender.send(new Heartbeat(
                    gateway.siteId(),
                    Instant.now(),
                    version,
                    healthy() ? "UP" : "DOWN",
                    status.backlogRows(),
                    status.replicationLag().toMillis() / 1000.0,
                    devices[0],
                    devices[1],
                    models()));
        } catch (KafkaException e) {
            LOG.debugf("heartbeat not sent: %s", SyncChannel.rootMessage(e));
        } catch (RuntimeException | SQLException e) {
            LOG.debugf(e, "heartbeat not sent: %s", e.getMessage());
        }
    }

    private boolean healthy() {
        return health.isResolvable() && !health.get().getReadiness().isDown();
    }

    private long[] devices() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row =
                        statement.executeQuery("SELECT count(*) FILTER (WHERE online), count(*) FROM devices")) {
            row.next();
            return new long[] {row.getLong(1), row.getLong(2)};
        }
    }

    private Map<String, String> models() {
        Map<String, String> serving = new TreeMap<>();
        if (models.isResolvable()) {
            for (ModelMetadata model : models.get().list()) {
                serving.put(model.name(), model.version());
            }
        }
        return serving;
    }
}
