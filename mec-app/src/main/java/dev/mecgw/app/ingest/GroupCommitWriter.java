package dev.mecgw.app.ingest;

import dev.mecgw.app.gateway.DaemonThreads;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.store.Jdbc;
import dev.mecgw.app.telemetry.Reading;
import dev.mecgw.app.telemetry.TelemetryStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * The sink at the end of the telemetry channel: groups device messages into batches, commits each batch
 * with one {@link TelemetryStore#append} call on dedicated writer threads, and only then completes the
 * messages' stages. Group commit is what makes "acknowledge after commit" affordable: thousands of device
 * messages share one fsync. A batch that fails is retried one message at a time, so that a message the store
 * refuses fails alone instead of failing every device in its batch (issue 15). Thread-safe; {@link #write} never
 * blocks.
 */
public class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupCommitWriter.class);

    /**
     * Failed single-message retries after which the rest of a failed batch fails without retry: past a few, the
     * store itself is down rather than one message bad, and retrying thousands of messages one by one would only
     * delay the devices' own retries.
     */
    static final int MAX_ISOLATION_FAILURES = 8;

    private final TelemetryStore store;
    private final int batchSize;
    private final long lingerNanos;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> writers = new ArrayList<>();
    private final Counter readingsCommitted;
    private final Counter rejected;
    private final Counter failedBatches;
    private final Counter isolatedMessages;
    private final Timer commitTimer;
    private final List<CommittedTelemetryListener> listeners;
    private final IngestQuota quota;
    private final int maxReadingsPerMessage;
    private final Counter throttled;
    private final Counter oversized;
    private final BiConsumer<String, Long> onThrottled;
    private volatile boolean running = true;

    public GroupCommitWriter(TelemetryStore store, IngestConfig config, MeterRegistry meters) {
        this(store, config, meters, List.of());
    }

    public GroupCommitWriter(
            TelemetryStore store,
            IngestConfig config,
            MeterRegistry meters,
            List<CommittedTelemetryListener> listeners) {
        this(store, config, meters, listeners, (device, bytes) -> {});
    }

    /**
     * @param onThrottled told of every message refused because its device exceeds its share of the queue (device
     *     id, estimated bytes); must not block
     */
    public GroupCommitWriter(
            TelemetryStore store,
            IngestConfig config,
            MeterRegistry meters,
            List<CommittedTelemetryListener> listeners,
            BiConsumer<String, Long> onThrottled) {
        this.store = store;
        this.onThrottled = onThrottled;
        this.quota = new IngestQuota(config.queueMaxBytes(), config.deviceMaxBytes());
        this.maxReadingsPerMessage = config.maxReadingsPerMessage();
        this.throttled = meters.counter("mecgw.ingest.submissions.throttled");
        this.oversized = meters.counter("mecgw.ingest.submissions.oversized");
        meters.gauge("mecgw.ingest.queue.bytes", quota, IngestQuota::queuedBytes);
        this.listeners = List.copyOf(listeners);
        this.batchSize = config.batchSize();
        this.lingerNanos = config.linger().toNanos();
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.readingsCommitted = meters.counter("mecgw.ingest.readings.committed");
        this.rejected = meters.counter("mecgw.ingest.submissions.rejected");
        this.failedBatches = meters.counter("mecgw.ingest.batches.failed");
        this.isolatedMessages = meters.counter("mecgw.ingest.messages.isolated");
        this.commitTimer = Timer.builder("mecgw.ingest.batch.commit")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        meters.gauge("mecgw.ingest.queue.depth", queue, BlockingQueue::size);
        ThreadFactory factory = DaemonThreads.named("mecgw-ingest-writer-%d");
        for (int i = 0; i < config.writers(); i++) {
            Thread writer = factory.newThread(this::writeLoop);
            writers.add(writer);
            writer.start();
        }
    }

    /**
     * Queues the readings of one device message for the next batch.
     *
     * @param readings readings of one device message
     * @return completes after the batch holding them is committed; fails with QUOTA_EXCEEDED when the
     *         queue is full, UNAVAILABLE when the store is down or the writer closed
     */
    public CompletionStage<Void> write(List<Reading> readings) {
        CompletableFuture<Void> committed = new CompletableFuture<>();
        if (!running) {
            committed.completeExceptionally(new GatewayException(ErrorKind.UNAVAILABLE, "Gateway is shutting down"));
        } else if (readings.isEmpty()) {
            committed.complete(null);
        } else if (readings.size() > maxReadingsPerMessage) {
            oversized.increment();
            committed.completeExceptionally(new GatewayException(
                    ErrorKind.BAD_REQUEST, "More than " + maxReadingsPerMessage + " readings in one message"));
        } else {
            enqueue(readings, committed);
        }
        return committed;
    }

    /** Bounded in bytes and per device before the message-count bound of the queue itself (issue 15 item 4). */
    private void enqueue(List<Reading> readings, CompletableFuture<Void> committed) {
        String device = readings.get(0).deviceId();
        long bytes = IngestQuota.sizeOf(readings);
        IngestQuota.Verdict verdict = quota.acquire(device, bytes);
        if (verdict == IngestQuota.Verdict.THROTTLED) {
            throttled.increment();
            onThrottled.accept(device, bytes);
            committed.completeExceptionally(new GatewayException(
                    ErrorKind.QUOTA_EXCEEDED, "Device exceeds its share of the ingest queue; retry later"));
        } else if (verdict == IngestQuota.Verdict.FULL
                || !queue.offer(new Pending(readings, committed, device, bytes))) {
            if (verdict == IngestQuota.Verdict.ACCEPTED) {
                quota.release(device, bytes);
            }
            rejected.increment();
            committed.completeExceptionally(
                    new GatewayException(ErrorKind.QUOTA_EXCEEDED, "Ingest queue full; retry later"));
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        List<Reading> readings = new ArrayList<>(batchSize);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                collect(first, batch, readings);
                commit(batch, readings);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.forEach(p -> quota.release(p.device(), p.bytes()));
                batch.clear();
                readings.clear();
            }
        }
    }

    /** Fills the batch up to the size limit, waiting at most the linger time for stragglers. */
    private void collect(Pending first, List<Pending> batch, List<Reading> readings) throws InterruptedException {
        batch.add(first);
        readings.addAll(first.readings());
        long deadline = System.nanoTime() + lingerNanos;
        while (readings.size() < batchSize) {
            Pending next = queue.poll();
            if (next == null) {
                long wait = deadline - System.nanoTime();
                if (wait <= 0 || (next = queue.poll(wait, TimeUnit.NANOSECONDS)) == null) {
                    return;
                }
            }
            batch.add(next);
            readings.addAll(next.readings());
        }
    }

    private void commit(List<Pending> batch, List<Reading> readings) {
        try {
            append(readings);
        } catch (RuntimeException e) {
            if (batch.size() > 1) {
                isolate(batch, e);
            } else {
                fail(batch, readings, e);
            }
            return;
        }
        batch.forEach(p -> p.committed().complete(null));
        notifyListeners(readings);
    }

    private void append(List<Reading> readings) {
        long started = System.nanoTime();
        store.append(readings);
        commitTimer.record(Duration.ofNanos(System.nanoTime() - started));
        readingsCommitted.increment(readings.size());
    }

    /** Retries a failed batch message by message, so that only the messages the store refuses fail. */
    private void isolate(List<Pending> batch, RuntimeException batchFailure) {
        int failures = 0;
        for (Pending pending : batch) {
            if (failures >= MAX_ISOLATION_FAILURES) {
                fail(List.of(pending), pending.readings(), batchFailure);
                continue;
            }
            isolatedMessages.increment();
            try {
                append(pending.readings());
            } catch (RuntimeException e) {
                failures++;
                fail(List.of(pending), pending.readings(), e);
                continue;
            }
            pending.committed().complete(null);
            notifyListeners(pending.readings());
        }
    }

    private void notifyListeners(List<Reading> readings) {
        if (listeners.isEmpty()) {
            return;
        }
        List<Reading> committed = List.copyOf(readings);
        for (CommittedTelemetryListener listener : listeners) {
            try {
                listener.committed(committed);
            } catch (RuntimeException e) {
                LOG.warnf(
                        e,
                        "Telemetry listener %s failed; ingest continues",
                        listener.getClass().getSimpleName());
            }
        }
    }

    private void fail(List<Pending> batch, List<Reading> readings, RuntimeException e) {
        failedBatches.increment();
        LOG.warnf(
                "Telemetry batch of %d readings not committed (devices will retry): %s",
                readings.size(), e.getMessage());
        // The store's own error passes as it is; anything else it throws is the store failing, in the one wording.
        GatewayException failure = e instanceof GatewayException g ? g : Jdbc.unavailable(TelemetryStore.NAME, e);
        batch.forEach(p -> p.committed().completeExceptionally(failure));
    }

    /** Stops accepting, drains what is queued, and waits for the writers. */
    @Override
    public void close() {
        running = false;
        for (Thread writer : writers) {
            try {
                writer.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private record Pending(List<Reading> readings, CompletableFuture<Void> committed, String device, long bytes) {}
}
