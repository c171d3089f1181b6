package dev.mecgw.sync.cdc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.apache.kafka.connect.source.SourceRecord;
import org.jboss.logging.Logger;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;

/**
 * Sends a Debezium batch to the sink and marks records processed strictly in order and only once acknowledged.
 * A failed send is retried from the first unacknowledged record, so nothing is skipped; a record sent twice is
 * harmless because the cloud applier ignores changes at or below the last applied LSN.
 */
final class AckingBatchHandler implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

    private static final Logger LOG = Logger.getLogger(AckingBatchHandler.class);
    private static final long POLL_MILLIS = 200;

    private final ChangeEventMapper mapper;
    private final ChangeSink sink;
    private final Duration retryBackoff;
    private final BooleanSupplier stopping;

    AckingBatchHandler(ChangeEventMapper mapper, ChangeSink sink, Duration retryBackoff, BooleanSupplier stopping) {
        this.mapper = mapper;
        this.sink = sink;
        this.retryBackoff = retryBackoff;
        this.stopping = stopping;
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        List<Optional<ChangeEvent>> events = new ArrayList<>(records.size());
        for (RecordChangeEvent<SourceRecord> record : records) {
            events.add(mapper.map(record.record()));
        }
        int acknowledged = 0;
        while (acknowledged < records.size()) {
            int next = sendFrom(events, acknowledged);
            for (int i = acknowledged; i < next; i++) {
                committer.markProcessed(records.get(i));
            }
            if (next < records.size()) {
                LOG.debugf("sync sink refused a change; resending %d changes", records.size() - next);
                Thread.sleep(retryBackoff.toMillis());
            }
            acknowledged = next;
        }
        committer.markBatchFinished();
    }

    /** @return the index of the first change not acknowledged, or {@code events.size()} */
    private int sendFrom(List<Optional<ChangeEvent>> events, int from) throws InterruptedException {
        List<CompletableFuture<Void>> acks = new ArrayList<>(events.size() - from);
        for (int i = from; i < events.size(); i++) {
            acks.add(events.get(i).map(this::sendSafely).orElseGet(() -> CompletableFuture.completedFuture(null)));
        }
        for (int i = 0; i < acks.size(); i++) {
            if (!awaitAck(acks.get(i))) {
                return from + i;
            }
        }
        return events.size();
    }

    private CompletableFuture<Void> sendSafely(ChangeEvent event) {
        try {
            return sink.send(event);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private boolean awaitAck(CompletableFuture<Void> ack) throws InterruptedException {
        while (true) {
            if (stopping.getAsBoolean() && !ack.isDone()) {
                throw new InterruptedException("sync capture stopping with unacknowledged changes");
            }
            try {
                ack.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                // still in flight: the producer retries on its own while the backhaul is down
            } catch (ExecutionException e) {
                return false;
            }
        }
    }
}
