package dev.mecgw.app.southbound.iec104;

import java.time.Duration;

/**
 * Time as the link layer sees it: a clock and one-shot timers. The gateway uses the connection's Vert.x context;
 * tests use a virtual clock, so a 15 s t1 passes without waiting. Callbacks run on the link's thread.
 */
public interface LinkTimers {

    /** Milliseconds of a monotonic clock. */
    long nowMillis();

    /** Runs the task once after the delay; the returned handle cancels it (a no-op once it ran). */
    Runnable schedule(Duration delay, Runnable task);
}
