package dev.mecgw.cloud.modelrollout.app;

import dev.mecgw.cloud.kafka.KafkaClients;
import dev.mecgw.cloud.modelrollout.ModelRollouts;
import dev.mecgw.cloud.modelrollout.ModelRolloutsConfig;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.apache.kafka.clients.producer.Producer;

/**
 * Builds {@link ModelRollouts} with its own Kafka producer (model chunks must not queue behind commands) and runs its
 * tick every {@code mecgw.cloud.model-rollouts.tick-interval}; the model-rollout phase of {@code CloudLifecycle}.
 */
@ApplicationScoped
public class ModelRolloutProducers {

    @Inject
    KafkaClients kafka;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ModelRolloutsConfig config;

    private Producer<String, byte[]> producer;
    private ModelRollouts rollouts;
    private ScheduledExecutorService ticker;

    /** @return the model rollouts of this instance */
    public synchronized ModelRollouts rollouts() {
        if (rollouts == null) {
            producer = kafka.producer();
            rollouts = new ModelRollouts(dataSource, producer, config, Clock.systemUTC());
        }
        return rollouts;
    }

    /** Starts the tick. */
    public synchronized void start() {
        if (ticker != null) {
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(BasicThreadFactory.builder()
                .namingPattern("cloud-model-rollouts")
                .daemon(true)
                .build());
        long every = config.tickInterval().toMillis();
        ticker.scheduleWithFixedDelay(() -> rollouts().tick(), every, every, TimeUnit.MILLISECONDS);
    }

    /** Stops the tick and closes the producer. */
    public synchronized void stop() throws InterruptedException {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker.awaitTermination(30, TimeUnit.SECONDS);
            ticker = null;
        }
        if (producer != null) {
            producer.close();
            producer = null;
            rollouts = null;
        }
    }
}
