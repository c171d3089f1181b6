package dev.mecgw.app.telemetry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** Telemetry storage under {@code mecgw.telemetry}. */
@ConfigMapping(prefix = "mecgw.telemetry")
public interface TelemetryConfig {

    /**
     * How long raw readings are kept. Whole daily partitions older than this are dropped, so data lives
     * between this and one day longer. Default {@code 30d}.
     */
    @WithDefault("30d")
    Duration retention();

    /** How many daily partitions are kept created ahead of today. Default 3. */
    @WithDefault("3")
    @Min(1) @Max(60) int partitionsAhead();
}
