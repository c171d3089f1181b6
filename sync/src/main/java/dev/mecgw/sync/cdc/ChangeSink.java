package dev.mecgw.sync.cdc;

import java.util.concurrent.CompletableFuture;

/**
 * Where captured changes go. The capture marks a change processed (and so lets its offset be committed) only
 * after the future returned by {@link #send} completed normally.
 */
public interface ChangeSink extends AutoCloseable {

    /**
     * Hands one change to the sink. Changes sent in sequence from one thread keep their order for the same key.
     *
     * @param event the change; never null
     * @return a future that completes when the change is durably acknowledged, or completes exceptionally when
     *     it was not (the caller sends it again); never null
     */
    CompletableFuture<Void> send(ChangeEvent event);

    /** Releases the sink; pending sends complete exceptionally. Never throws. */
    @Override
    void close();
}
