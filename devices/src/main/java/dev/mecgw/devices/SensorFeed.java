package dev.mecgw.devices;

import dev.mecgw.devices.signal.SensorSignal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a simulated sensor sends and when, whatever its protocol: one metric from a {@link SensorSignal}, as the
 * JSON document {@code {"<metric>":v,"ts":epochMillis}} that the gateway's MQTT and CoAP telemetry routes accept,
 * every {@code period} on a shared timer.
 *
 * @param metric metric name, e.g. {@code temp}
 * @param signal the values
 * @param period time between readings
 * @param scheduler shared timer
 * @param clock time source for timestamps and the signal
 */
public record SensorFeed(
        String metric, SensorSignal signal, Duration period, ScheduledExecutorService scheduler, Clock clock) {

    /** @return the next reading's payload, timestamped now */
    public byte[] nextReading() {
        Instant now = clock.instant();
        return String.format(Locale.ROOT, "{\"%s\":%.3f,\"ts\":%d}", metric, signal.at(now), now.toEpochMilli())
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Runs the tick every period, starting at a random point of the first one so that sensors spread out. */
    public ScheduledFuture<?> every(Runnable tick) {
        long first = ThreadLocalRandom.current().nextLong(Math.max(1, period.toMillis()));
        return scheduler.scheduleAtFixedRate(tick, first, period.toMillis(), TimeUnit.MILLISECONDS);
    }
}
