package dev.mecgw.app.modelrollout;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Model rollouts from the cloud, under {@code mecgw.model-rollout}. The receiver runs whenever sync to the cloud is
 * configured ({@code mecgw.sync.kafka.bootstrap-servers}); the gate's tolerances and window come with each offer.
 */
@ConfigMapping(prefix = "mecgw.model-rollout")
public interface ModelRolloutConfig {

    /**
     * How often closed health windows are judged; also how often the model downlink consumer is retried while the
     * cloud's Kafka name does not resolve. Env {@code MECGW_MODEL_ROLLOUT_TICK_INTERVAL}. Default {@code 1s}.
     */
    @WithDefault("1s")
    Duration tickInterval();
}
