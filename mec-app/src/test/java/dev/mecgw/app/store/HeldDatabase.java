package dev.mecgw.app.store;

import static org.awaitility.Awaitility.await;

import dev.mecgw.app.gateway.DaemonThreads;
import dev.mecgw.app.gateway.PhaseGate;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A pool with no database behind it whose next connection, once {@link #holdNext() armed}, is held until
 * {@link #release()}: a job blocked in its store work, for a test of what a stop does while it runs. Every connection
 * then fails, as {@link DownDatabase}'s do.
 */
public final class HeldDatabase implements DataSource {

    private final AtomicBoolean armed = new AtomicBoolean();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger connections = new AtomicInteger();

    /**
     * What a stop did to a job in flight.
     *
     * @param waited the stop waited at its {@link PhaseGate}'s close while the job was held in its store work, and
     *     returned only after the job was let go
     * @param returned the stop returned once the job ended
     * @param laterRunReachedTheStore the job, run again after the stop, asked for a connection
     */
    public record Stop(boolean waited, boolean returned, boolean laterRunReachedTheStore) {}

    /**
     * Runs {@code job} on a thread of its own until it asks for a connection, where it is held; runs {@code stop}
     * meanwhile on another; then lets the job go on (its connection fails), waits for both, and runs the job once
     * more.
     */
    public Stop stopWhileHeld(Runnable job, Runnable stop) throws InterruptedException {
        holdNext();
        Thread running = DaemonThreads.start("held-database-job", job);
        if (!awaitHeld()) {
            throw new AssertionError("the job asked for no connection within 30 s");
        }
        AtomicBoolean returnedAfterRelease = new AtomicBoolean();
        Thread stopping = DaemonThreads.start("held-database-stop", () -> {
            stop.run();
            returnedAfterRelease.set(release.getCount() == 0);
        });
        boolean atTheGate = waitsFor(stopping);
        release();
        running.join(30_000);
        stopping.join(30_000);
        int connections = connections();
        job.run();
        return new Stop(atTheGate && returnedAfterRelease.get(), !stopping.isAlive(), connections() > connections);
    }

    /** Holds the next connection asked for (one only). */
    public HeldDatabase holdNext() {
        armed.set(true);
        return this;
    }

    /** Waits until a job asked for the held connection; false after 30 s. */
    public boolean awaitHeld() throws InterruptedException {
        return held.await(30, TimeUnit.SECONDS);
    }

    /** Lets the held job go on: its connection fails. */
    public void release() {
        release.countDown();
    }

    /** How many connections were asked for. */
    public int connections() {
        return connections.get();
    }

    /**
     * Whether a stop, running on {@code stopping} while the job is held, waits for it: true once the thread waits in
     * {@link PhaseGate#close()}, false when it ended first (it left the job running); fails when it did neither within
     * 30 s. Only that frame counts: on a loaded machine the thread may block or wait briefly elsewhere (class
     * initialisation, a logging lock), which says nothing about the gate (review 10, finding 7).
     */
    public static boolean waitsFor(Thread stopping) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stopping.getState() == Thread.State.TERMINATED || waitsAtTheGate(stopping));
        return stopping.isAlive();
    }

    private static boolean waitsAtTheGate(Thread thread) {
        Thread.State state = thread.getState();
        if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return false;
        }
        return Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(PhaseGate.class.getName())
                        && frame.getMethodName().equals("close"));
    }

    @Override
    public Connection getConnection() throws SQLException {
        connections.incrementAndGet();
        if (armed.compareAndSet(true, false)) {
            held.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new SQLException("no database in this test");
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
