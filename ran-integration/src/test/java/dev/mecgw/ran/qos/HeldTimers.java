package dev.mecgw.ran.qos;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that runs immediate work on its threads at once but holds every timed task until the test
 * fires it, together with the {@link Moved} clock the subject reads: a test moves time itself, so a QoS
 * session's end is reached by a step of the clock, not by waiting seconds of real time.
 */
final class HeldTimers extends ScheduledThreadPoolExecutor {

    private final List<Map.Entry<ScheduledFuture<?>, Runnable>> held = new CopyOnWriteArrayList<>();

    HeldTimers() {
        super(2);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        if (delay <= 0) {
            // execute() and submit() come here with no delay: that work runs now.
            return super.schedule(task, delay, unit);
        }
        // A future that never fires by itself but can be cancelled as the subject expects.
        ScheduledFuture<?> future = super.schedule(() -> {}, 1, TimeUnit.DAYS);
        held.add(Map.entry(future, task));
        return future;
    }

    /** Runs, in the calling thread, the timed tasks held so far that nobody cancelled. */
    void fire() {
        for (Map.Entry<ScheduledFuture<?>, Runnable> timer : List.copyOf(held)) {
            held.remove(timer);
            if (!timer.getKey().isCancelled()) {
                timer.getKey().cancel(false);
                timer.getValue().run();
            }
        }
    }

    /** A clock that stands still until the test moves it. */
    static final class Moved extends Clock {

        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration step) {
            now = now.plus(step);
        }

        void moveTo(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
