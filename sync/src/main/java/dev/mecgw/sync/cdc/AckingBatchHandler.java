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
 * cloud applier ignores changes at or below the last applied (generation, LSN). Once a send failed, nothing after it
 * is handed to the sink until it went through (issue 14.7): after a restart during an outage the producer has no
 * metadata and each send would block for its {@code max.block.ms}, one record after the other, and a newer version
 * of a row could overtake an older one. The lane hears how many changes wait for their acknowledgement and whether the
 * capture is inside a transaction it has not received completely ({@link TransactionBoundaries}: Debezium's BEGIN and
 * END markers, which map to no change and are marked processed like heartbeats) or has not yet read to where the WAL
 * stood at its start ({@link StartBarrier}). Called by the engine's polling thread only.
 */
final class AckingBatchHandler implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

    private static final Logger LOG = Logger.getLogger(AckingBatchHandler.class);
    private static final long POLL_MILLIS = 200;
    /** Stands for a change held back behind a failed one: counts as failed, so it is sent in order later. */
    private static final CompletableFuture<Void> NOT_SENT =
            CompletableFuture.failedFuture(new IllegalStateException("held back behind a failed change"));

    private final ChangeEventMapper mapper;
    private final ChangeSink sink;
    private final Duration retryBackoff;
    private final BooleanSupplier stopping;
    private final int fullBatch;
    private final int window;
    private final LaneGate.Session lane;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private final TransactionBoundaries transactions = new TransactionBoundaries();
    private final StartBarrier barrier;

    /**
     * @param fullBatch the engine's {@code max.batch.size}: a batch this large means a backlog is draining
     * @param window how many records may wait for their acknowledgement while a backlog drains
     * @param lane this start's session of the capture's lane (the priority between critical and bulk tables): its
     *     reports count until the next start opens another
     * @param barrier where the WAL stood at the capture's start: until it is read, more may be to come
     */
    AckingBatchHandler(
            ChangeEventMapper mapper,
            ChangeSink sink,
            Duration retryBackoff,
            BooleanSupplier stopping,
            int fullBatch,
            int window,
            LaneGate.Session lane,
            StartBarrier barrier) {
        this.mapper = mapper;
        this.sink = sink;
        this.retryBackoff = retryBackoff;
        this.stopping = stopping;
        this.fullBatch = fullBatch;
        this.window = window;
        this.lane = lane;
        this.barrier = barrier;
    }

    @Override
    public void handleBatch(
            List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        // written once the slot exists; a start Debezium retried may create the slot only now
        barrier.writeWhenDue();
        lane.beforeSend(stopping);
        boolean held = pending.stream().anyMatch(Pending::failed);
        for (RecordChangeEvent<SourceRecord> record : records) {
            transactions.observe(record.record());
            barrier.observe(record.record());
            Optional<ChangeEvent> event = mapper.map(record.record());
            CompletableFuture<Void> ack = null;
            if (event.isPresent()) {
                ack = held ? NOT_SENT : sendSafely(event.get());
                held = ack.isCompletedExceptionally();
            }
            pending.addLast(new Pending(record, event, ack));
        }
        // before waiting for acknowledgements: while the link is down that wait can last the whole outage
        reportPending();
        settle(committer, records.size() < fullBatch ? 0 : window);
        // still pending while the rest of a transaction is to come in a later batch (issue 14.7: the gate must not
        // open between two parts of one critical transaction)
        reportPending();
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
                reportPending();
                Thread.sleep(retryBackoff.toMillis());
                lane.beforeSend(stopping);
                resendFailed();
            } else if (pending.size() > maxPending) {
                awaitCompletion(head.ack);
            } else {
                return;
            }
        }
    }

    private void reportPending() {
        lane.pending(pending.size(), transactions.open() || !barrier.passed());
    }

    // In order, so that per key the cloud still sees the newest change last (and the ordering rule covers the rest);
    // a send that fails at once (no metadata while the link is down) holds back the rest until the next round.
    private void resendFailed() {
        for (Pending p : pending) {
            if (p.failed()) {
                p.ack = sendSafely(p.event.orElseThrow());
                if (p.ack.isCompletedExceptionally()) {
                    return;
                }
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
