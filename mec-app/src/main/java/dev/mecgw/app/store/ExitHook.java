package dev.mecgw.app.store;

import dev.mecgw.app.gateway.DaemonThreads;
import io.quarkus.runtime.Application;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Stops the embedded PostgreSQL when the JVM exits, but only after the application's own shutdown: that
 * shutdown stops the server in the STORE phase, after everything that writes to it ({@code LifecyclePhase}).
 * zonky's own exit hook stopped the server as soon as SIGTERM came, because the JVM runs its hooks at once: the
 * ingest's last batches and the rejected-payload events then met a closed store (issue 13). This hook waits for
 * the application, and stops the server itself only when the JVM exits without the STORE phase (a start that
 * failed, or a shutdown that took longer than {@link #ORDERLY_STOP_WAIT}).
 */
final class ExitHook {

    private static final Logger LOG = Logger.getLogger(ExitHook.class);

    /** How long the hook waits for the application's shutdown before it stops the server anyway. */
    static final Duration ORDERLY_STOP_WAIT = Duration.ofSeconds(60);

    private final Thread hook;

    private ExitHook(Runnable stop) {
        this.hook = DaemonThreads.unstarted("mecgw-postgres-exit", () -> stopAfterApplication(stop));
    }

    /** Registers a hook that runs {@code stop} at the JVM's exit, after the running application stopped. */
    static ExitHook register(Runnable stop) {
        ExitHook exit = new ExitHook(stop);
        Runtime.getRuntime().addShutdownHook(exit.hook);
        return exit;
    }

    /** The server stopped in order: the hook is not needed. No-op while the JVM exits (the hook then finds it stopped). */
    void cancel() {
        if (Thread.currentThread() == hook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // The JVM is exiting: the hook runs anyway and finds the server stopped.
        }
    }

    private static void stopAfterApplication(Runnable stop) {
        Application application = Application.currentApplication();
        // awaitShutdown returns at once for an application that stopped or failed to start.
        Wait wait = application == null ? Wait.ENDED : awaited(application::awaitShutdown, ORDERLY_STOP_WAIT);
        if (wait == Wait.RAN_OUT) {
            LOG.warnf(
                    "The gateway did not stop within %d s of the exit; stopping the embedded PostgreSQL now",
                    ORDERLY_STOP_WAIT.toSeconds());
        } else if (wait == Wait.INTERRUPTED) {
            LOG.warn("The exit hook was interrupted while it waited for the gateway to stop; stopping the embedded"
                    + " PostgreSQL now");
        }
        stop.run();
    }

    /** How a wait for the application's shutdown ended. */
    enum Wait {
        /** The shutdown ended within the bound. */
        ENDED,
        /** The bound ran out while the shutdown still went on. */
        RAN_OUT,
        /** The waiting thread was interrupted while the shutdown still went on (review 10, 10: not a bound run out). */
        INTERRUPTED
    }

    /**
     * Runs {@code awaitStop} on a thread of its own and waits for it at most {@code bound}. Not through
     * {@code CompletableFuture.runAsync} (review 9, 1.5): from three cores on, that runs in the common ForkJoin pool,
     * and if a library's tasks hold its workers at exit, the wait would not even start: the hook then waited the full
     * bound and warned falsely.
     *
     * @return how the wait ended; an interrupt is kept on this thread
     */
    static Wait awaited(Runnable awaitStop, Duration bound) {
        Thread waiter = DaemonThreads.start("mecgw-postgres-exit-wait", awaitStop);
        boolean interrupted = false;
        try {
            waiter.join(bound.toMillis());
        } catch (InterruptedException e) {
            interrupted = true;
            Thread.currentThread().interrupt();
        }
        if (!waiter.isAlive()) {
            return Wait.ENDED;
        }
        return interrupted ? Wait.INTERRUPTED : Wait.RAN_OUT;
    }
}
