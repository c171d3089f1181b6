package dev.mecgw.app.southbound;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** Settings shared by the southbound protocol clients (issue 21), prefix {@code mecgw.southbound}. */
@ConfigMapping(prefix = "mecgw.southbound")
public interface SouthboundConfig {

    /** Whether southbound clients run at all; devices can still be registered when off. Default true. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Threads of the bounded pool that decodes responses and hands readings to ingest, shared by every southbound
     * device; network I/O itself is asynchronous and never waits in this pool. Default 4.
     */
    @WithDefault("4")
    @Min(1) @Max(64) int workers();

    /** Tasks that may wait for a worker before new ones are dropped (and counted as failed polls). Default 10000. */
    @WithDefault("10000")
    @Min(16) int workQueue();

    /** First reconnect delay after a failure (jittered, doubling per failure). Default 1s. */
    @WithDefault("1s")
    Duration minBackoff();

    /** Largest reconnect delay. Default 60s. */
    @WithDefault("60s")
    Duration maxBackoff();
}
