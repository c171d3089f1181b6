package dev.mecgw.app.southbound.sparkplug;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Sparkplug B in the gateway's own MQTT broker (issue 21.3) under {@code mecgw.sparkplug}. */
@ConfigMapping(prefix = "mecgw.sparkplug")
public interface SparkplugConfig {

    /** Whether the broker decodes Sparkplug B births, data and deaths; when off they are only relayed. Default true. */
    @WithDefault("true")
    boolean enabled();

    /** Largest Sparkplug payload decoded, in bytes; larger ones are refused. Default 1048576 (1 MiB). */
    @WithDefault("1048576")
    @Min(1024) int maxPayloadBytes();

    /**
     * Most memory one edge node's metric definitions (names, aliases, types of the node and its devices) may take,
     * in estimated bytes; a birth beyond it is refused with an event. Default 1048576 (1 MiB).
     */
    @WithDefault("1048576")
    @Min(4096) long maxDefinitionBytesPerNode();

    /** Most edge nodes born at once; a further NBIRTH is refused with an event. Default 1000. */
    @WithDefault("1000")
    @Min(1) int maxNodes();

    /** Most Sparkplug devices one edge node may register; a further DBIRTH is refused with an event. Default 500. */
    @WithDefault("500")
    @Min(1) @Max(100_000) int maxDevicesPerNode();

    /** Most registry tasks (lookups, auto-registrations, presence) waiting; beyond it births are refused. Default 10000. */
    @WithDefault("10000")
    @Min(10) int maxQueuedRegistryTasks();
}
