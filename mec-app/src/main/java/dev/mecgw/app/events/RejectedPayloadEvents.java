package dev.mecgw.app.events;

import dev.mecgw.app.gateway.DaemonThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Events for rejected payloads, one per device, kind and minute with the count and the first reason (issue 14
 * item 10). A device sending garbage at line rate used to add one row per message to the replicated
 * {@code events} table through an unbounded executor; now {@link #rejected} only counts in memory and never
 * blocks, a minute's aggregate is written once the minute is over ({@link #flush}, called periodically), and the
 * writer's queue is bounded: when it is full, or more devices are being counted than {@code maxKeys}, the event
 * is dropped and counted in {@code mecgw.events.dropped}. Thread-safe.
 */
public final class RejectedPayloadEvents implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RejectedPayloadEvents.class);

    private final EventLog events;
    private final Clock clock;
    private final int maxKeys;
    private final ThreadPoolExecutor writer;
    private final Counter droppedQueueFull;
    private final Counter droppedTooManyDevices;
    private final Map<Key, Minute> counting = new ConcurrentHashMap<>();
    private final AtomicLong lostEvents = new AtomicLong();
    private final AtomicLong lostPayloads = new AtomicLong();
    private volatile boolean closing;
    private volatile String firstLoss;

    /**
     * @param queueCapacity most aggregates waiting to be written
     * @param maxKeys most device and kind pairs counted at once
     */
    public RejectedPayloadEvents(EventLog events, Clock clock, int queueCapacity, int maxKeys, MeterRegistry meters) {
        this.events = events;
        this.clock = clock;
        this.maxKeys = maxKeys;
        this.writer = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity),
                DaemonThreads.named("mecgw-rejected-events"));
        this.droppedQueueFull = meters.counter("mecgw.events.dropped", "reason", "queue-full");
        this.droppedTooManyDevices = meters.counter("mecgw.events.dropped", "reason", "too-many-devices");
        meters.gauge("mecgw.events.rejected.queued", writer.getQueue(), q -> q.size());
    }

    /**
     * Counts one rejected payload; never blocks and never throws.
     *
     * @param deviceId the sender
     * @param kind the event kind, e.g. {@code telemetry.rejected}
     * @param protocol {@code mqtt} or {@code coap}
     * @param reason the client-safe reason; only the minute's first one is kept
     * @param bytes the payload's size
     */
    public void rejected(String deviceId, String kind, String protocol, String reason, int bytes) {
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        Key key = new Key(deviceId, kind);
        if (!counting.containsKey(key) && counting.size() >= maxKeys) {
            droppedTooManyDevices.increment();
            return;
        }
        List<Minute> ended = new ArrayList<>(1);
        counting.compute(key, (k, current) -> {
            if (current != null && current.start.equals(minute)) {
                current.count++;
                return current;
            }
            if (current != null) {
                ended.add(current);
            }
            return new Minute(minute, protocol, reason, bytes);
        });
        ended.forEach(m -> write(key, m));
    }

    /** Writes the aggregates of minutes that are over; call periodically (every few seconds). No-op once closed. */
    public synchronized void flush() {
        if (closing) {
            return;
        }
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        for (Key key : List.copyOf(counting.keySet())) {
            Minute[] ended = new Minute[1];
            counting.computeIfPresent(key, (k, m) -> {
                if (m.start.isBefore(minute)) {
                    ended[0] = m;
                    return null;
                }
                return m;
            });
            if (ended[0] != null) {
                write(key, ended[0]);
            }
        }
    }

    /**
     * Writes what was counted, the current minute included, and stops the writer after it drained; later
     * {@link #flush()} calls do nothing. Call before the store closes. What could not be written is logged at WARN
     * with its count (never the payloads' content). Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            for (Key key : List.copyOf(counting.keySet())) {
                Minute m = counting.remove(key);
                if (m != null) {
                    write(key, m);
                }
            }
        }
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                writer.shutdownNow().forEach(left -> lost(((Write) left).minute, "not written in time"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.shutdownNow().forEach(left -> lost(((Write) left).minute, "interrupted"));
        }
        if (lostEvents.get() > 0) {
            LOG.warnf(
                    "%d rejected-payload event(s), counting %d rejected payload(s), not recorded at shutdown: %s",
                    lostEvents.get(), lostPayloads.get(), firstLoss);
        }
    }

    private void write(Key key, Minute m) {
        try {
            writer.execute(new Write(key, m));
        } catch (RejectedExecutionException full) {
            droppedQueueFull.increment();
            if (closing) {
                lost(m, "queue full");
            }
        }
    }

    private void lost(Minute m, String reason) {
        if (lostEvents.getAndIncrement() == 0) {
            firstLoss = reason;
        }
        lostPayloads.addAndGet(m.count);
    }

    /** One aggregate on its way to the event log. */
    private final class Write implements Runnable {
        final Key key;
        final Minute minute;

        Write(Key key, Minute minute) {
            this.key = key;
            this.minute = minute;
        }

        @Override
        public void run() {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("protocol", minute.protocol);
            payload.put("reason", minute.firstReason);
            payload.put("bytes", minute.firstBytes);
            payload.put("count", minute.count);
            payload.put("minute", minute.start.toString());
            try {
                events.record(key.deviceId, key.kind, "warning", payload);
            } catch (RuntimeException e) {
                if (closing) {
                    // The last flush: nothing retries it, so the loss must be heard.
                    lost(minute, e.getMessage());
                } else {
                    LOG.debugf("rejected-payload event of %s not recorded: %s", key.deviceId, e.getMessage());
                }
            }
        }
    }

    private record Key(String deviceId, String kind) {}

    /** One minute's count; mutated only inside {@code ConcurrentHashMap.compute}. */
    private static final class Minute {
        final Instant start;
        final String protocol;
        final String firstReason;
        final int firstBytes;
        long count = 1;

        Minute(Instant start, String protocol, String firstReason, int firstBytes) {
            this.start = start;
            this.protocol = protocol;
            this.firstReason = firstReason;
            this.firstBytes = firstBytes;
        }
    }
}
