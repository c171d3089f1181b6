package dev.mecgw.cloud.kafka;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The embedded single-node Kafka under {@code mecgw.cloud.embedded-kafka}, started only when no
 * {@code mecgw.cloud.kafka.bootstrap-servers} is configured.
 */
@ConfigMapping(prefix = "mecgw.cloud.embedded-kafka")
public interface EmbeddedKafkaConfig {

    /** Client port; 0 picks a free one (tests). Env {@code MECGW_CLOUD_EMBEDDED_KAFKA_PORT}. Default {@code 9092}. */
    @WithDefault("9092")
    @Min(0) @Max(65535) int port();

    /**
     * Address the broker binds and advertises to gateways. Env {@code MECGW_CLOUD_EMBEDDED_KAFKA_HOST}. Default
     * {@code 127.0.0.1}: this host only; a routable address lets remote gateways in (plaintext without
     * authentication: for trials; production uses a configured cluster with TLS and SASL).
     */
    @WithDefault("127.0.0.1")
    String host();
}
