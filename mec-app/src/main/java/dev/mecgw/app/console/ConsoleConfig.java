package dev.mecgw.app.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** The operator console at {@code /console} (issue 19), under {@code mecgw.console}. */
@ConfigMapping(prefix = "mecgw.console")
public interface ConsoleConfig {

    /**
     * How long a console session lasts after login, whatever the activity; the user logs in again after it.
     * Default 12h (one shift).
     */
    @WithDefault("12h")
    Duration sessionLifetime();

    /**
     * PBKDF2-HMAC-SHA256 rounds for new console password hashes (verification uses the count stored in each
     * hash). Default 600000, OWASP's figure for this hash.
     */
    @WithDefault("600000")
    @Min(10_000) int pbkdf2Iterations();

    /** Shortest password a console user may choose. Default 12 characters. */
    @WithDefault("12")
    @Min(8) @Max(128) int minPasswordLength();

    /** Login throttling: failed attempts per user name allowed within {@link #loginWindow()}. Default 5. */
    @WithDefault("5")
    @Min(1) int loginFailuresPerUser();

    /**
     * Login throttling: failed attempts per client address (any user name) allowed within {@link #loginWindow()}.
     * Default 20: a site's operators often share one NAT address.
     */
    @WithDefault("20")
    @Min(1) int loginFailuresPerAddress();

    /** Login throttling window: failures older than this no longer count. Default 5m. */
    @WithDefault("5m")
    Duration loginWindow();

    /** How often each live region (Overview tiles, "what is wrong now") is refreshed over SSE. Default 2s. */
    @WithDefault("2s")
    Duration livePeriod();

    /**
     * Live connections (SSE) one session may hold, e.g. one per open tab and region; the oldest closes beyond.
     * Default 8.
     */
    @WithDefault("8")
    @Min(1) int liveStreamsPerSession();

    /** Live connections (SSE) of all sessions together; more are closed at once. Default 256. */
    @WithDefault("256")
    @Min(1) int liveStreams();

    /** Raw messages (MQTT and CoAP telemetry) kept per device for its page. Default 20. */
    @WithDefault("20")
    @Min(1) @Max(1000) int rawMessagesPerDevice();

    /**
     * Estimated heap of all kept raw messages together, in bytes; the oldest of any device goes first beyond it.
     * Default 4194304 (4 MiB).
     */
    @WithDefault("4194304")
    @Min(65_536) long rawMessagesBytes();

    /** Payload bytes kept of each raw message (the page gives the full size). Default 1024. */
    @WithDefault("1024")
    @Min(0) @Max(16_384) int rawPayloadBytes();
}
