package dev.mecgw.app.sync;

import dev.mecgw.app.registry.PostgresDeviceCounts;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.sync.backhaul.BackhaulState;
import dev.mecgw.sync.heartbeat.Heartbeat;
import dev.mecgw.sync.heartbeat.KafkaHeartbeatSender;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/**
 * The gateway heartbeat (CONTRACT-sync §2): one {@link #beat()} per {@code mecgw.sync.heartbeat-interval}, sent while
 * sync is configured and the backhaul is not down, with the change sink's Kafka settings (TLS, SASL). A heartbeat that
 * cannot be sent is dropped, never sent late. Thread-safe: beats come from the scheduler, {@link #close()} from
 * shutdown.
 */
public final class GatewayHeartbeat implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GatewayHeartbeat.class);

    /**
     * What a heartbeat reports.
     *
     * @param status the sync status (backhaul, backlog, lag)
     * @param devices the pool the device counts are read from
     * @param ready whether the gateway is ready
     * @param models the models serving; empty without inference
     */
    public record Sources(
            Supplier<SyncStatus> status,
            DataSource devices,
            BooleanSupplier ready,
            Supplier<List<ModelMetadata>> models) {}

    private final SyncConfig config;
    private final String siteId;
    private final String version;
    private final Sources sources;
    private final PostgresDeviceCounts devices;
    private KafkaHeartbeatSender sender;
    private boolean closed;

    /**
     * @param siteId the site the heartbeat names (its key)
     * @param version the gateway's version
     */
    public GatewayHeartbeat(SyncConfig config, String siteId, String version, Sources sources) {
        this.config = config;
        this.siteId = siteId;
        this.version = version;
        this.sources = sources;
        this.devices = new PostgresDeviceCounts(sources.devices());
    }

    /** Sends one heartbeat unless sync is not configured, the backhaul is down or {@link #close()} ran. */
    public void beat() {
        if (config.kafka().bootstrapServers().isEmpty()) {
            return;
        }
        try {
            SyncStatus status = sources.status().get();
            if (status.backhaul() == BackhaulState.DOWN) {
                return;
            }
            KafkaHeartbeatSender open = sender();
            if (open == null) {
                return;
            }
            PostgresDeviceCounts.Counts counts = devices.count();
            open.send(new Heartbeat(
                    siteId,
                    Instant.now(),
                    version,
                    sources.ready().getAsBoolean() ? "UP" : "DOWN",
                    status.backlogRows(),
                    status.replicationLag().toMillis() / 1000.0,
                    counts.online(),
                    counts.total(),
                    models()));
        } catch (KafkaException e) {
            LOG.debugf("heartbeat not sent: %s", SyncChannel.rootMessage(e));
        } catch (RuntimeException e) {
            LOG.debugf(e, "heartbeat not sent: %s", e.getMessage());
        }
    }

    /** Closes the producer; later beats send nothing. */
    @Override
    public void close() {
        KafkaHeartbeatSender open;
        synchronized (this) {
            closed = true;
            open = sender;
        }
        if (open != null) {
            open.close();
        }
    }

    /** @return the sender, built on first use; null once closed */
    private synchronized KafkaHeartbeatSender sender() {
        if (closed) {
            return null;
        }
        if (sender == null) {
            // Built lazily: the client refuses a bootstrap name that does not resolve while the backhaul is down.
            sender = KafkaHeartbeatSender.create(
                    config.kafka().bootstrapServers().orElseThrow(),
                    config.heartbeatInterval(),
                    config.kafka().properties());
        }
        return sender;
    }

    private Map<String, String> models() {
        Map<String, String> serving = new TreeMap<>();
        for (ModelMetadata model : sources.models().get()) {
            serving.put(model.name(), model.version());
        }
        return serving;
    }
}
