package dev.mecgw.cloud.kafka;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Optional;

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

    /**
     * Port of a second client listener meant for gateways only, on {@link #host()}. Env
     * {@code MECGW_CLOUD_EMBEDDED_KAFKA_EDGE_PORT}. Absent (default): no such listener, gateways use {@link #port()}.
     * With it, the cloud's own consumers and producers stay on {@link #port()}, so that the path between gateways and
     * the broker can be cut (a backhaul outage, {@code scripts/demo.sh}) without cutting the cloud off its broker.
     */
    Optional<@Min(1) @Max(65535) Integer> edgePort();

    /**
     * Port the edge listener advertises to gateways, e.g. that of a TCP proxy in front of {@link #edgePort()}: Kafka
     * clients connect to the advertised address after bootstrap, so a proxy only stays on the path if the broker
     * names it. Env {@code MECGW_CLOUD_EMBEDDED_KAFKA_EDGE_ADVERTISED_PORT}. Absent (default): {@link #edgePort()}
     * itself. Ignored without {@link #edgePort()}.
     */
    Optional<@Min(1) @Max(65535) Integer> edgeAdvertisedPort();
}
