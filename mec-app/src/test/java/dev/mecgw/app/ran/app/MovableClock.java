package dev.mecgw.app.ran.app;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The 5G integration's clock in {@code @QuarkusTest}s, in place of {@link RanProducers#ranClock}: the system's time
 * plus what a test moved it by, so that a QoS session's end is reached by a step instead of seconds of waiting (issue
 * 13.5). It only ever moves forward, so tests that never move it see the system clock.
 */
@Singleton
public class MovableClock extends Clock {

    private volatile Clock current = Clock.systemUTC();

    /** Moves this clock {@code step} ahead of where it was. */
    public void advance(Duration step) {
        current = Clock.offset(current, step);
    }

    @Override
    public Instant instant() {
        return current.instant();
    }

    @Override
    public ZoneId getZone() {
        return current.getZone();
    }

    /** The zone does not matter to the gateway, which works in instants: the same clock. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
