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
}
