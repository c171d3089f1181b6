package dev.mecgw.app.gateway;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The one deadline of the gateway's shutdown for the {@link PhaseGate}s' waits on jobs still running: started when the
 * stop begins, {@link #BUDGET} later every gate's close waits not at all. Each gate alone waits at most its own bound
 * (30 s), but the gates close one after the other, in one phase's stop or in successive ones, so their bounds added up:
 * three hung jobs in SYNC's stop cost 90 s, past {@code store.ExitHook}'s 60 s, after which the embedded PostgreSQL
 * stops under the ingest's drain and the writers' flush (review 10, 4). With one deadline they cost 40 s in all.
 *
 * <p>An instance, not a static the lifecycle starts: the wiring hands the application's one instance to each gate, so
 * that every start of the application (a test restarts Quarkus in the same JVM) gets a fresh deadline, and a test
 * gives its gates a deadline of its own, with its own budget and clock.
 *
 * <p>Thread-safe.
 */
public final class StopDeadline {

    /**
     * How long all the gates of one shutdown may wait in total. Well inside {@code ExitHook.ORDERLY_STOP_WAIT} (60 s,
     * {@code ExitHookTest} holds the margin): the rest is left to the waits that are not at a gate (the inference
     * workers' close, the ingest's drain, the writers' flush), which must end before the exit hook stops the store.
     */
    public static final Duration BUDGET = Duration.ofSeconds(40);

    private final Duration budget;
    private final LongSupplier nanoTime;
    private boolean started;
    private long end;

    /** The application's deadline: {@link #BUDGET} from {@link #start()}, on {@link System#nanoTime()}. */
    public StopDeadline() {
        this(BUDGET, System::nanoTime);
    }

    /**
     * For tests: a deadline of another budget, on another clock.
     *
     * @param budget how long after {@link #start()} the deadline passes, not negative
     * @param nanoTime the clock, read as {@link System#nanoTime()} is (only differences count)
     */
    StopDeadline(Duration budget, LongSupplier nanoTime) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("budget must not be negative: " + budget);
        }
        this.budget = budget;
        this.nanoTime = nanoTime;
    }

    /** The shutdown began: the deadline passes one budget from now. Only the first call counts. */
    public synchronized void start() {
        if (!started) {
            started = true;
            end = nanoTime.getAsLong() + budget.toNanos();
        }
    }

    /** Whether the deadline has passed; false before {@link #start()}. */
    public synchronized boolean passed() {
        return started && end - nanoTime.getAsLong() <= 0;
    }

    /** How long after {@link #start()} the deadline passes. */
    Duration budget() {
        return budget;
    }

    /** The deadline's clock, for a gate's own bound, so that one clock measures both. */
    long now() {
        return nanoTime.getAsLong();
    }

    /**
     * How long a wait that begins at {@code now} may last before the deadline: zero once it passed. Starts the
     * deadline if nothing did yet: a gate closing is a stop under way, even when its phase's observer ran before the
     * one that starts the deadline (observers of one priority run in no set order).
     *
     * @param now {@link #now()} when the wait begins
     * @return nanoseconds, not negative
     */
    synchronized long leftAt(long now) {
        start();
        return Math.max(0, end - now);
    }
}
