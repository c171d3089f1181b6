package dev.mecgw.sync.cdc;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.connect.source.SourceRecord;
import org.jboss.logging.Logger;

/**
 * Sends Debezium batches to the sink and marks records processed strictly in order and only once acknowledged.
 * <p>
 * Sends are pipelined across batches: while a backlog drains (full batches), the handler returns as soon as a batch
 * is handed to the sink, and up to {@code window} records may wait for their acknowledgement; each later call first
 * marks the acknowledged head of that queue. When the source has caught up (a batch smaller than {@code fullBatch})
 * the handler waits for every acknowledgement, so that offsets keep up with a quiet stream. A failed send is
 * retried from the first unacknowledged record, so nothing is skipped; a record sent twice is harmless because the
 * cloud applier ignores changes at or below the last applied LSN. Called by the engine's polling thread only.
 */
final class AckingBatchHandler implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

    private static final Logger LOG = Logger.getLogger(AckingBatchHandler.class);
    private static final long POLL_MILLIS = 200;

    private final ChangeEventMapper mapper;
    private final ChangeSink sink;
    private final Duration retryBackoff;
    private final BooleanSupplier stopping;
    private final int fullBatch;
    private final int window;
    private final Deque<Pending> pending = new ArrayDeque<>();

    /**
     * @param fullBatch the engine's {@code max.batch.size}: a batch this large means a backlog is draining
     * @param window how many records may wait for their acknowledgement while a backlog drains
     */
    AckingBatchHandler(
            ChangeEventMapper mapper,
            ChangeSink sink,
            Duration retryBackoff,
            BooleanSupplier stopping,
            int fullBatch,
            int window) {
        this.mapper = mapper;
        this.sink = sink;
        this.retryBackoff = retryBackoff;
        this.stopping = stopping;
        this.fullBatch = fullBatch;
        this.window = window;
    }

    @Override
    public void handleBatch(
            List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        for (RecordChangeEvent<SourceRecord> record : records) {
            Optional<ChangeEvent> event = mapper.map(record.record());
            pending.addLast(
                    new Pending(record, event, event.map(this::sendSafely).orElse(null)));
        }
        settle(committer, records.size() < fullBatch ? 0 : window);
        committer.markBatchFinished();
    }

    /** Marks the acknowledged head of the queue, waiting until at most {@code maxPending} records are left. */
    private void settle(DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer, int maxPending)
            throws InterruptedException {
        while (!pending.isEmpty()) {
            Pending head = pending.peekFirst();
            if (head.acknowledged()) {
                committer.markProcessed(head.record);
                pending.removeFirst();
            } else if (head.failed()) {
                if (stopping.getAsBoolean()) {
                    throw new InterruptedException("sync capture stopping with unacknowledged changes");
                }
                LOG.debugf("sync sink refused a change; resending from it, %d changes pending", pending.size());
                Thread.sleep(retryBackoff.toMillis());
                resendFailed();
            } else if (pending.size() > maxPending) {
                awaitCompletion(head.ack);
            } else {
                return;
            }
        }
    }

    // In order, so that per key the cloud still sees the newest change last (and the LSN rule covers the rest).
    private void resendFailed() {
        for (Pending p : pending) {
            if (p.failed()) {
                p.ack = sendSafely(p.event.orElseThrow());
            }
        }
    }

    private CompletableFuture<Void> sendSafely(ChangeEvent event) {
        try {
            return sink.send(event);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void awaitCompletion(CompletableFuture<Void> ack) throws InterruptedException {
        while (!ack.isDone()) {
            if (stopping.getAsBoolean()) {
                throw new InterruptedException("sync capture stopping with unacknowledged changes");
            }
            try {
                ack.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // still in flight (the producer retries on its own while the backhaul is down), or failed: the
                // caller looks at the outcome
            }
        }
    }

    /** One record on its way; {@code ack} is null for a record that is no row change (nothing to send). */
    private static final class Pending {
        final RecordChangeEvent<SourceRecord> record;
        final Optional<ChangeEvent> event;
        CompletableFuture<Void> ack;

        Pending(RecordChangeEvent<SourceRecord> record, Optional<ChangeEvent> event, CompletableFuture<Void> ack) {
            this.record = record;
            this.event = event;
            this.ack = ack;
        }

        boolean acknowledged() {
            return ack == null || ack.isDone() && !ack.isCompletedExceptionally();
        }

        boolean failed() {
            return ack != null && ack.isCompletedExceptionally();
        }
    }
}
