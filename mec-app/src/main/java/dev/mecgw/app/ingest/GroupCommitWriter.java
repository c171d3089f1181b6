package dev.mecgw.app.ingest;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
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
import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.jboss.logging.Logger;

/**
 * The sink at the end of the telemetry channel: groups device messages into batches, commits each batch
 * with one {@link TelemetryStore#append} call on dedicated writer threads, and only then completes the
 * messages' stages. Group commit is what makes "acknowledge after commit" affordable: thousands of device
 * messages share one fsync. Thread-safe; {@link #write} never blocks.
 */
public class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupCommitWriter.class);

    private final TelemetryStore store;
    private final int batchSize;
    private final long lingerNanos;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> writers = new ArrayList<>();
    private final Counter readingsCommitted;
    private final Counter rejected;
    private final Counter failedBatches;
    private final Timer commitTimer;
    private final List<CommittedTelemetryListener> listeners;
    private volatile boolean running = true;

    public GroupCommitWriter(TelemetryStore store, IngestConfig config, MeterRegistry meters) {
        this(store, config, meters, List.of());
    }

    public GroupCommitWriter(
            TelemetryStore store,
            IngestConfig config,
            MeterRegistry meters,
            List<CommittedTelemetryListener> listeners) {
        this.store = store;
        this.listeners = List.copyOf(listeners);
        this.batchSize = config.batchSize();
        this.lingerNanos = config.linger().toNanos();
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.readingsCommitted = meters.counter("mecgw.ingest.readings.committed");
        this.rejected = meters.counter("mecgw.ingest.submissions.rejected");
        this.failedBatches = meters.counter("mecgw.ingest.batches.failed");
        this.commitTimer = Timer.builder("mecgw.ingest.batch.commit")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        meters.gauge("mecgw.ingest.queue.depth", queue, BlockingQueue::size);
        ThreadFactory factory = BasicThreadFactory.builder()
                .namingPattern("mecgw-ingest-writer-%d")
                .daemon(true)
                .build();
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
        } else if (!queue.offer(new Pending(readings, committed))) {
            rejected.increment();
            committed.completeExceptionally(
                    new GatewayException(ErrorKind.QUOTA_EXCEEDED, "Ingest queue full; retry later"));
        }
        return committed;
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
        long started = System.nanoTime();
        try {
            store.append(readings);
            commitTimer.record(Duration.ofNanos(System.nanoTime() - started));
            readingsCommitted.increment(readings.size());
            batch.forEach(p -> p.committed().complete(null));
        } catch (RuntimeException e) {
            fail(batch, readings, e);
            return;
        }
        notifyListeners(readings);
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
        GatewayException failure = e instanceof GatewayException g
                ? g
                : new GatewayException(ErrorKind.UNAVAILABLE, "Telemetry store unavailable", e);
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

    private record Pending(List<Reading> readings, CompletableFuture<Void> committed) {}
}
