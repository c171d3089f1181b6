package dev.mecgw.cloud.kafka;

import io.smallrye.config.ConfigMapping;
import java.util.Map;
import java.util.Optional;

/** The Kafka cluster the cloud reads site changes from and writes downlinks to, under {@code mecgw.cloud.kafka}. */
@ConfigMapping(prefix = "mecgw.cloud.kafka")
public interface KafkaConfig {

    /**
     * Bootstrap servers of an existing Kafka cluster, {@code host:port,...}. Env
     * {@code MECGW_CLOUD_KAFKA_BOOTSTRAP_SERVERS}. Default: none, and the cloud starts its embedded single-node Kafka
     * ({@code mecgw.cloud.embedded-kafka.*}).
     */
    Optional<String> bootstrapServers();

    /**
     * Kafka client properties passed through unchanged to every consumer and producer, typically TLS and SASL, e.g.
     * {@code mecgw.cloud.kafka.properties."security.protocol"=SASL_SSL}, {@code ..."sasl.mechanism"=SCRAM-SHA-512},
     * {@code ..."sasl.jaas.config"=...}, {@code ..."ssl.truststore.location"=...}. Default: none.
     */
    Map<String, String> properties();
}
