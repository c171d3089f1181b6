package dev.mecgw.cloud.kafka.app;

import dev.mecgw.cloud.kafka.EmbeddedKafka;
import dev.mecgw.cloud.kafka.EmbeddedKafkaConfig;
import dev.mecgw.cloud.kafka.KafkaClients;
import dev.mecgw.cloud.kafka.KafkaConfig;
import dev.mecgw.cloud.store.CloudConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Connects the cloud to its Kafka: the configured cluster, or the embedded broker that {@link #start()} launches in
 * {@code <data-dir>/kafka} and whose bootstrap it prints for gateways.
 */
@ApplicationScoped
public class KafkaProducers {

    private static final Logger LOG = Logger.getLogger(KafkaProducers.class);

    @Inject
    KafkaConfig kafka;

    @Inject
    EmbeddedKafkaConfig embeddedConfig;

    @Inject
    CloudConfig cloud;

    private EmbeddedKafka embedded;
    private KafkaClients clients;

    /** Kafka phase of {@code CloudLifecycle}: starts the embedded broker when no cluster is configured. */
    public synchronized void start() throws Exception {
        if (clients != null) {
            return;
        }
        if (kafka.bootstrapServers().isPresent()) {
            clients = new KafkaClients(kafka.bootstrapServers().get(), kafka.properties());
            LOG.infof("Cloud Kafka: cluster at %s", clients.bootstrap());
            return;
        }
        Optional<EmbeddedKafka.EdgeListener> edge = embeddedConfig
                .edgePort()
                .map(port -> new EmbeddedKafka.EdgeListener(
                        port, embeddedConfig.edgeAdvertisedPort().orElse(port)));
        embedded = EmbeddedKafka.start(
                cloud.dataDir().resolve("kafka"), embeddedConfig.host(), embeddedConfig.port(), edge);
        clients = new KafkaClients(embedded.bootstrap(), kafka.properties());
        LOG.infof(
                "Embedded Kafka started at %s%s; point gateways at it with MECGW_SYNC_KAFKA_BOOTSTRAP_SERVERS=%s",
                embedded.bootstrap(),
                edge.map(e -> " (gateways: edge listener on port " + e.port() + ")")
                        .orElse(""),
                embedded.edgeBootstrap());
    }

    @Produces
    @Singleton
    KafkaClients clients() throws Exception {
        start();
        return clients;
    }

    /** Stop phase of {@code CloudLifecycle}, after every client is closed. */
    public synchronized void stop() {
        if (embedded != null) {
            embedded.close();
            embedded = null;
        }
    }
}
