package dev.mecgw.app.modelrollout.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.gateway.DaemonThreads;
import dev.mecgw.app.gateway.GatewayConfig;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.modelrollout.KafkaModelDownlink;
import dev.mecgw.app.modelrollout.ModelRolloutConfig;
import dev.mecgw.app.modelrollout.ModelRolloutReceiver;
import dev.mecgw.app.sync.SyncConfig;
import dev.mecgw.inference.model.ModelRegistry;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/**
 * Starts the model rollout receiver with the sync phase when sync to the cloud is configured: its consumer of
 * {@code <siteId>.models} on a thread of its own, and the health-gate tick; stops both with the sync phase.
 */
@ApplicationScoped
public class ModelRolloutLifecycle {

    private static final Logger LOG = Logger.getLogger(ModelRolloutLifecycle.class);

    private final SyncConfig sync;
    private final GatewayConfig gateway;
    private final ModelRolloutConfig config;
    private final ModelRolloutReceiver receiver;
    private final MeterRegistry meters;
    private ScheduledExecutorService ticker;
    /** Volatile: the metrics read it without the lock that building it holds. */
    private volatile KafkaModelDownlink consumer;
    /** The consumer settings were refused: not built again until a restart with other settings. */
    private boolean misconfigured;

    ModelRolloutLifecycle(
            SyncConfig sync,
            GatewayConfig gateway,
            ModelRolloutConfig config,
            AgroalDataSource dataSource,
            ModelRegistry registry,
            MeterRegistry meters,
            ObjectMapper json,
            EventLog events) {
        this.sync = sync;
        this.gateway = gateway;
        this.config = config;
        this.receiver = new ModelRolloutReceiver(dataSource, registry, meters, json, events, Clock.systemUTC());
        this.meters = meters;
    }

    void onStart(@Observes @Priority(LifecyclePhase.Order.SYNC_START) StartupEvent event) {
        if (sync.kafka().bootstrapServers().isEmpty()) {
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("mecgw-model-rollout"));
        FunctionCounter.builder("mecgw.model.rollout.refused", this, ModelRolloutLifecycle::refused)
                .description("model downlink messages the local store refused for good, skipped")
                .register(meters);
        long every = config.tickInterval().toMillis();
        ticker.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
        LOG.infof("model rollouts: receiving on %s.models", gateway.siteId());
    }

    private void tick() {
        connect();
        receiver.tick();
    }

    // Kafka clients refuse to be built while the bootstrap name does not resolve; retried every tick until built.
    private synchronized void connect() {
        if (consumer != null || misconfigured) {
            return;
        }
        try {
            consumer = KafkaModelDownlink.create(
                    sync.kafka().bootstrapServers().orElseThrow(),
                    gateway.siteId(),
                    sync.kafka().properties(),
                    receiver);
            DaemonThreads.start("mecgw-model-downlink", consumer);
        } catch (KafkaException e) {
            LOG.debugf("model downlink consumer not created yet: %s", e.getMessage());
        } catch (IllegalArgumentException e) {
            // A pass-through property the consumer refuses (it would break its exactly-once effect): no retry
            // changes it, and thrown out of the tick it would end the health gate's ticks too.
            LOG.errorf("model downlink consumer not started: %s", e.getMessage());
            misconfigured = true;
        }
    }

    private long refused() {
        KafkaModelDownlink running = consumer;
        return running == null ? 0 : running.refusedTotal();
    }

    void onStop(@Observes @Priority(LifecyclePhase.Order.SYNC_STOP) ShutdownEvent event) throws InterruptedException {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker.awaitTermination(10, TimeUnit.SECONDS);
        }
        synchronized (this) {
            if (consumer != null) {
                consumer.close();
            }
        }
    }
}
