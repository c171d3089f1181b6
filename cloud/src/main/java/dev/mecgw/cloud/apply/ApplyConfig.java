package dev.mecgw.cloud.apply;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** The applier of site changes, under {@code mecgw.cloud.apply}. */
@ConfigMapping(prefix = "mecgw.cloud.apply")
public interface ApplyConfig {

    /**
     * Kafka consumer group of the appliers; every cloud instance of one deployment uses the same group so that they
     * share the partitions. Env {@code MECGW_CLOUD_APPLY_GROUP_ID}. Default {@code mecgw-cloud}.
     */
    @WithDefault("mecgw-cloud")
    String groupId();

    /** Consumer threads in this instance, each with its own database transaction. Default {@code 1}. */
    @WithDefault("1")
    @Min(1) @Max(64) int consumers();

    /** Pause before a batch is retried after a database failure. Default {@code 1s}. */
    @WithDefault("1s")
    Duration retry();

    /** Whether this instance applies at all (an API-only instance sets false). Default {@code true}. */
    @WithDefault("true")
    boolean enabled();
}
