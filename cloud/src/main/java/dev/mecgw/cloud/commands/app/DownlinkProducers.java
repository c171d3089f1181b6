package dev.mecgw.cloud.commands.app;

import dev.mecgw.cloud.commands.Downlink;
import dev.mecgw.cloud.kafka.KafkaClients;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import org.apache.kafka.clients.producer.Producer;

/** Builds the {@link Downlink} and its Kafka producer, created on first use and closed on stop. */
@ApplicationScoped
public class DownlinkProducers {

    @Inject
    KafkaClients kafka;

    @Inject
    AgroalDataSource dataSource;

    private Producer<String, byte[]> producer;
    private Downlink downlink;

    /** @return the downlink of this instance */
    public synchronized Downlink downlink() {
        if (downlink == null) {
            producer = kafka.producer();
            downlink = new Downlink(dataSource, producer, Clock.systemUTC());
        }
        return downlink;
    }

    /** Stop phase of {@code CloudLifecycle}. */
    public synchronized void stop() {
        if (producer != null) {
            producer.close();
            producer = null;
            downlink = null;
        }
    }
}
