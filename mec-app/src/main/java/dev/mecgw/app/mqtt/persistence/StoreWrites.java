package dev.mecgw.app.mqtt.persistence;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * The broker's blocking writes (retained messages, persistent sessions) on its ordered store thread, so
 * the event loop never waits on JDBC. A failed write is logged and the state stays in memory; the
 * returned stage tells callers that must not answer before the write is durable.
 */
public final class StoreWrites {

    private static final Logger LOG = Logger.getLogger(StoreWrites.class);

    private final Executor storeThread;

    /** All session and retained writes go through one thread, so that they reach the database in order. */
    public StoreWrites(Executor storeThread) {
        this.storeThread = storeThread;
    }

    /**
     * Queues a write behind the earlier ones.
     *
     * @param what names the state in the warning when the write fails, e.g. "Retained message"
     * @return completes once written; fails with the write's exception
     */
    public CompletableFuture<Void> submit(Runnable write, String what) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        storeThread.execute(() -> {
            try {
                write.run();
                done.complete(null);
            } catch (RuntimeException e) {
                LOG.warnf("%s not persisted (kept in memory): %s", what, e.getMessage());
                done.completeExceptionally(e);
            }
        });
        return done;
    }
}
