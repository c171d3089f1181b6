package dev.mecgw.cloud.fleet;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The fleet view, under {@code mecgw.cloud.fleet}. */
@ConfigMapping(prefix = "mecgw.cloud.fleet")
public interface FleetConfig {

    /**
     * A site whose last heartbeat arrived longer ago than this is shown offline; three gateway heartbeat intervals
     * ({@code mecgw.sync.heartbeat-interval}, 10s). Default {@code 30s}.
     */
    @WithDefault("30s")
    Duration offlineAfter();
}
