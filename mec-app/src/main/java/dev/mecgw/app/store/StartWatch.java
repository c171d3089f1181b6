package dev.mecgw.app.store;

import dev.mecgw.app.gateway.DaemonThreads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One start of the embedded PostgreSQL as {@code pg_ctl} reports it in the {@link ServerLog}.
 *
 * <p>zonky starts {@code pg_ctl start -w} without looking at it again and takes the server as started once
 * something on its port answers {@code SELECT 1}; a postmaster that stopped during its start (its port taken in the
 * meantime, a bad setting) leaves zonky polling that port for its whole start timeout. This watch reads pg_ctl's
 * verdict instead: {@code "server started"} once the postmaster it forked reports ready, {@code "could not start
 * server"} once that postmaster exited. On the second it ends zonky's wait at once by interrupting the starting
 * thread (zonky then returns its instance, which is closed to release the data directory). Afterwards
 * {@link #outcome(Duration)} tells what pg_ctl saw, so that a server on the port that is not ours is never taken
 * for ours.
 *
 * <p>A postmaster that got as far as starting its logging collector (it says so in the {@link ServerLog}) reports
 * why it stopped (a taken port, for one) in its {@link ServerLogFolder}; the outcome then includes what it wrote
 * there during this start.
 */
final class StartWatch implements AutoCloseable {

    static final String STARTED = "server started";
    static final String FAILED = "could not start server";
    static final String COLLECTOR = "redirecting log output to logging collector process";
    private static final long POLL_MILLIS = 50;

    private final ServerLog log;
    private final long from;
    private final ServerLogFolder folder;
    private final Map<Path, Long> folderFrom;
    private final Thread starter;
    private final Thread watcher;
    private boolean closed;
    private boolean interruptedStarter;

    private StartWatch(ServerLog log, ServerLogFolder folder) {
        this.log = log;
        this.from = log.length();
        this.folder = folder;
        this.folderFrom = folder.ends();
        this.starter = Thread.currentThread();
        this.watcher = DaemonThreads.unstarted("mecgw-postgres-start-watch", this::watch);
    }

    /**
     * Starts watching the log and the folder from their current ends; call on the thread that starts the server,
     * after the folder's earlier files got their final names ({@link ServerLogFolder#tidy()}).
     */
    static StartWatch begin(ServerLog log, ServerLogFolder folder) {
        StartWatch watch = new StartWatch(log, folder);
        watch.watcher.start();
        return watch;
    }

    private void watch() {
        try {
            while (!log.since(from).contains(FAILED)) {
                Thread.sleep(POLL_MILLIS);
            }
            synchronized (this) {
                if (!closed) {
                    interruptedStarter = true;
                    starter.interrupt();
                }
            }
        } catch (InterruptedException e) {
            // closed: the start returned
        }
    }

    /** Stops watching and clears the interrupt this watch sent, if any; call on the starting thread. Idempotent. */
    @Override
    public void close() {
        boolean clear;
        synchronized (this) {
            closed = true;
            clear = interruptedStarter;
            interruptedStarter = false;
        }
        watcher.interrupt();
        if (clear) {
            Thread.interrupted();
        }
    }

    /**
     * What this start wrote to the log, once pg_ctl gave its verdict or {@code wait} passed (pg_ctl looks at the
     * server ten times a second, so its verdict follows zonky's within a fraction of a second); for a postmaster that
     * stopped after starting its logging collector, also what it wrote into the folder, once the collector wrote the
     * postmaster's last words (FATAL or PANIC) or {@code wait} passed.
     */
    Outcome outcome(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        String output = log.since(from);
        while (!output.contains(STARTED) && !output.contains(FAILED) && pause(deadline)) {
            output = log.since(from);
        }
        if (!output.contains(FAILED) || !output.contains(COLLECTOR)) {
            return new Outcome(output);
        }
        String collected = folder.since(folderFrom);
        while (!collected.contains("FATAL:") && !collected.contains("PANIC:") && pause(deadline)) {
            collected = folder.since(folderFrom);
        }
        return new Outcome(output + collected);
    }

    /** Waits one poll unless {@code deadline} passed or the thread is interrupted; false then. */
    private static boolean pause(long deadline) {
        if (System.nanoTime() >= deadline) {
            return false;
        }
        try {
            Thread.sleep(POLL_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The output of one start ({@code initdb}'s too when it ran), as pg_ctl and the server wrote it, then what the
     * logging collector wrote for it.
     */
    record Outcome(String output) {

        /** The postmaster exited during its start (pg_ctl said so): nothing of ours listens. */
        boolean stopped() {
            return output.contains(FAILED);
        }

        /**
         * The postmaster stopped because of its port: the TCP port taken (another process bound it after it was
         * found free) or the lock file of its Unix socket held by a live process. Another port will do.
         */
        boolean portTaken() {
            return output.contains("could not create any TCP/IP sockets")
                    || (output.contains(".s.PGSQL.") && output.contains("already exists"));
        }
    }
}
