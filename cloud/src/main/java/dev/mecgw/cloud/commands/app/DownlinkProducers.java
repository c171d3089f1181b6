package dev.mecgw.cloud.commands.app;

import dev.mecgw.cloud.commands.CommandsConfig;
import dev.mecgw.cloud.commands.Downlink;
import dev.mecgw.cloud.kafka.KafkaClients;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.apache.kafka.clients.producer.Producer;
import org.jboss.logging.Logger;

/**
 * Builds the {@link Downlink} and its Kafka producer, and runs the resend loop of its outbox: once at start, then
 * every {@code mecgw.cloud.commands.resend-interval}; closed on stop.
 */
@ApplicationScoped
public class DownlinkProducers {

    private static final Logger LOG = Logger.getLogger(DownlinkProducers.class);

    @Inject
    KafkaClients kafka;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CommandsConfig config;

    private Producer<String, byte[]> producer;
    private Downlink downlink;
    private ScheduledExecutorService resender;

    /** @return the downlink of this instance */
    public synchronized Downlink downlink() {
        if (downlink == null) {
            producer = kafka.producer();
            downlink = new Downlink(dataSource, producer, Clock.systemUTC());
        }
        return downlink;
    }

    /** Downlink phase of {@code CloudLifecycle}: starts the resend loop. */
    public synchronized void start() {
        if (resender != null) {
            return;
        }
        resender = Executors.newSingleThreadScheduledExecutor(BasicThreadFactory.builder()
                .namingPattern("cloud-downlink-resend")
                .daemon(true)
                .build());
        long every = config.resendInterval().toMillis();
        resender.scheduleWithFixedDelay(this::resend, 0, every, TimeUnit.MILLISECONDS);
    }

    private void resend() {
        try {
            downlink().resendUnsent(Downlink.SEND_TIMEOUT);
        } catch (RuntimeException e) {
            // The next round retries; the rows stay queued meanwhile.
            LOG.warnf("downlink resend failed, retried in %s: %s", config.resendInterval(), e.getMessage());
        }
    }

    /** Stop phase of {@code CloudLifecycle}. */
    public synchronized void stop() throws InterruptedException {
        if (resender != null) {
            resender.shutdownNow();
            resender.awaitTermination(30, TimeUnit.SECONDS);
            resender = null;
        }
        if (producer != null) {
            producer.close();
            producer = null;
            downlink = null;
        }
    }
}
