package dev.mecgw.cloud.commands;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Commands to devices, under {@code mecgw.cloud.commands}. */
@ConfigMapping(prefix = "mecgw.cloud.commands")
public interface CommandsConfig {

    /** How long a command without {@code ttl} waits at the site for its device. Default {@code 1h}. */
    @WithDefault("1h")
    Duration defaultTtl();

    /** The longest {@code ttl} a request may ask for. Default {@code 7d}. */
    @WithDefault("7d")
    Duration maxTtl();

    /**
     * How often this instance sends downlink messages that were committed but not confirmed by Kafka (Kafka was
     * down, or an instance stopped between commit and send); it also runs once at start. Default {@code 5s}.
     */
    @WithDefault("5s")
    Duration resendInterval();
}
