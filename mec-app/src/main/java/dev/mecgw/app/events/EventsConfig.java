package dev.mecgw.app.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;

/** The event log ({@code mecgw.events}). */
@ConfigMapping(prefix = "mecgw.events")
public interface EventsConfig {

    /**
     * Most per-minute rejected-payload aggregates waiting to be written; more are dropped and counted in
     * {@code mecgw.events.dropped{reason=queue-full}} (issue 14 item 10). Default 1000.
     */
    @WithDefault("1000")
    @Min(1) int rejectedQueueCapacity();

    /**
     * Most devices whose rejected payloads are counted in the current minute; rejections of further devices are
     * dropped and counted in {@code mecgw.events.dropped{reason=too-many-devices}}. Default 10000.
     */
    @WithDefault("10000")
    @Min(1) int rejectedMaxDevices();

    /**
     * How often the rejected-payload aggregates of minutes that are over are written; the current minute's are
     * written at shutdown, in the WRITERS phase. Env {@code MECGW_EVENTS_REJECTED_FLUSH_INTERVAL}. Default
     * {@code 10s}; at least {@code 1s}.
     */
    @WithDefault("10s")
    @DurationMin(seconds = 1)
    Duration rejectedFlushInterval();
}
