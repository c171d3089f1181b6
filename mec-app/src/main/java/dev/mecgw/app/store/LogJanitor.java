package dev.mecgw.app.store;

import dev.mecgw.app.gateway.DaemonThreads;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps a {@link ServerLogFolder} within its budget: tidies it at once, then each time a file appears in it (each of
 * PostgreSQL's rotations), and once a minute besides, in case a change event was lost (the kernel's queue overflowed,
 * or the file system reports no changes). One daemon thread, until closed.
 */
final class LogJanitor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LogJanitor.class);
    private static final Duration FALLBACK = Duration.ofMinutes(1);
    private static final Duration UNWATCHED = Duration.ofSeconds(1);

    private final ServerLogFolder folder;
    private final WatchService events;
    private final Thread thread;
    // Read and written by the janitor's thread only: one warning per run of failures, not one per rotation.
    private boolean failing;

    private LogJanitor(ServerLogFolder folder, WatchService events) {
        this.folder = folder;
        this.events = events;
        this.thread = DaemonThreads.unstarted("mecgw-postgres-log-janitor", this::run);
    }

    /**
     * Starts watching the folder, which must exist, and tidies it once on the calling thread; call before the server
     * starts, so that its first file is seen and the files of earlier runs keep their names during the start.
     *
     * <p>A folder the system will not watch is looked at every second instead: the janitor is no reason to keep the
     * database from starting.
     */
    static LogJanitor start(ServerLogFolder folder) {
        LogJanitor janitor = new LogJanitor(folder, watch(folder));
        janitor.tidy();
        janitor.thread.start();
        return janitor;
    }

    /**
     * @return the folder's change events; null when the system gives no watch (inotify instances are per user, 128 by
     *     default, shared by every process of the gateway's user): the log is then only looked at every second,
     *     which a budget outlives but a database that refused to start would not
     */
    private static WatchService watch(ServerLogFolder folder) {
        WatchService events = null;
        try {
            events = folder.folder().getFileSystem().newWatchService();
            folder.folder().register(events, StandardWatchEventKinds.ENTRY_CREATE);
            return events;
        } catch (IOException e) {
            LOG.warnf(
                    "Cannot watch %s (%s); the embedded PostgreSQL's log is kept within its budget by a look every %s",
                    folder.folder(), e.getMessage(), UNWATCHED);
            if (events != null) {
                try {
                    events.close();
                } catch (IOException closing) {
                    LOG.debugf(closing, "Closing the watch of %s", folder.folder());
                }
            }
            return null;
        }
    }

    private void run() {
        try {
            while (true) {
                if (events == null) {
                    Thread.sleep(UNWATCHED.toMillis()); // close() interrupts it
                    tidy();
                    continue;
                }
                WatchKey key = events.poll(FALLBACK.toMillis(), TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
                tidy();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private void tidy() {
        try {
            folder.tidy();
            failing = false;
        } catch (IOException | DirectoryIteratorException e) {
            if (!failing) {
                LOG.warnf(
                        e,
                        "Cannot keep the embedded PostgreSQL's log in %s within its budget; trying again at its next"
                                + " file",
                        folder.folder());
            }
            failing = true;
        }
    }

    /** Stops watching; the thread ends at once, or after the tidying it is doing. Idempotent. */
    @Override
    public void close() {
        try {
            if (events != null) {
                events.close();
            }
        } catch (IOException e) {
            LOG.debugf(e, "Closing the watch of %s", folder.folder());
        }
        thread.interrupt();
    }
}
