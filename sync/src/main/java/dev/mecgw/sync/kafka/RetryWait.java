package dev.mecgw.sync.kafka;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The wait of a consumer loop between retries of a link or store that failed: 0.5 s after the first failure, doubling
 * up to 10 s, so that an outage costs neither a busy loop nor a long wait once it is over. {@link #release()} (the
 * loop is being closed) ends a wait at once, and every later one: closing never waits for a backoff. One thread
 * pauses, any thread may release.
 */
public final class RetryWait {

    private static final Duration FIRST = Duration.ofMillis(500);
    private static final Duration MAX = Duration.ofSeconds(10);
    /** 0.5 s doubled five times is past the cap: more doublings would only risk an overflow. */
    private static final int MAX_DOUBLINGS = 5;

    /** How a pause waits: until {@code released} is counted down or {@code delay} passed. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(CountDownLatch released, Duration delay) throws InterruptedException;
    }

    private final CountDownLatch released = new CountDownLatch(1);
    private final Sleeper sleeper;

    /** A wait on the real clock. */
    public RetryWait() {
        this((latch, delay) -> latch.await(delay.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** @param sleeper how a pause waits; tests record the delays instead of waiting them */
    RetryWait(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    /**
     * @param failures failures in a row before this wait, 0 for the first
     * @return the wait after them: 0.5 s, 1 s, 2 s, 4 s, 8 s, then 10 s
     */
    public static Duration backoff(int failures) {
        if (failures < 0) {
            throw new IllegalArgumentException("failures must not be negative: " + failures);
        }
        Duration delay = FIRST.multipliedBy(1L << Math.min(failures, MAX_DOUBLINGS));
        return delay.compareTo(MAX) < 0 ? delay : MAX;
    }

    /**
     * Waits {@link #backoff(int) backoff(failures)}, or returns at once once {@link #release()} was called.
     *
     * @param failures failures in a row, 0 for the first
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public void pause(int failures) throws InterruptedException {
        if (!released()) {
            sleeper.sleep(released, backoff(failures));
        }
    }

    /** Ends the current wait, if any, and makes every later {@link #pause(int)} return at once. */
    public void release() {
        released.countDown();
    }

    /** @return true once {@link #release()} was called */
    public boolean released() {
        return released.getCount() == 0;
    }
}
