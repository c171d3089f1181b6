package dev.mecgw.app.coap;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.Message;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.network.KeyMID;
import org.eclipse.californium.core.network.deduplication.Deduplicator;
import org.eclipse.californium.elements.config.Configuration;

/**
 * Californium deduplicator bounded in bytes that never forgets an exchange while a retransmission of it can still
 * arrive. Every kept exchange is charged {@link #entryBytes()} (the largest message plus the objects around it)
 * against one budget (issue 18 finding 1: the per-peer mark-and-sweep grew heap with the number of peers) and kept
 * for the retransmission span only. A request that finds the budget, or its peer's share of it, full is not kept:
 * {@link #remembers} says so and {@link DeduplicationRefusalLayer} answers it 5.03 with Max-Age, so it has no effect
 * and its retry is judged afresh. Evicting in-span entries instead (review finding: 1.7 s of history at 15,000
 * requests/s) let a retransmitted confirmable POST be stored twice. Requests that can be re-served from their
 * source, GETs of immutable artifacts, are neither kept nor refused. Thread-safe (one lock; O(1) amortized).
 */
final class BudgetedDeduplicator implements Deduplicator {

    /**
     * Heap of one kept exchange besides its serialized response: Exchange, request and response objects with their
     * options and endpoint contexts, the key and the map nodes (an estimate with a margin, not a measurement).
     */
    static final int ENTRY_OVERHEAD_BYTES = 1536;

    private final long budgetBytes;
    private final int entryBytes;
    private final int maxEntries;
    private final int maxPerPeer;
    private final long spanNanos;
    private final Predicate<Request> reservable;
    private final LongSupplier nanoClock;
    // Insertion order is age order: replacePrevious re-inserts, so the sweep may stop at the first young entry.
    private final LinkedHashMap<KeyMID, Entry> entries = new LinkedHashMap<>();
    private final Map<Object, ArrayDeque<KeyMID>> perPeer = new HashMap<>();
    private long refused;
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> sweeper;

    /**
     * @param budgetBytes heap the kept exchanges may use together; at least one entry
     * @param maxMessageSize largest serialized CoAP message, in bytes
     * @param peerBytes heap the kept exchanges of one peer may use together, at most the budget; see
     *     {@link #peerBytes}
     * @param spanNanos how long an exchange is kept: the span in which retransmissions of it arrive
     * @param reservable requests not kept, because answering them twice is harmless and cheap
     * @param nanoClock {@link System#nanoTime()} or a test clock
     */
    BudgetedDeduplicator(
            long budgetBytes,
            int maxMessageSize,
            long peerBytes,
            long spanNanos,
            Predicate<Request> reservable,
            LongSupplier nanoClock) {
        this.budgetBytes = budgetBytes;
        this.entryBytes = ENTRY_OVERHEAD_BYTES + maxMessageSize;
        this.maxEntries = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budgetBytes / entryBytes));
        this.maxPerPeer = (int) Math.max(1, Math.min(maxEntries, peerBytes / entryBytes));
        this.spanNanos = spanNanos;
        this.reservable = reservable;
        this.nanoClock = nanoClock;
    }

    /**
     * How long an exchange is kept: MAX_TRANSMIT_SPAN of RFC 7252 section 4.8.2 for the configured transmission
     * parameters, plus an allowance for latency. A device sends the last retransmission of a confirmable message at
     * most MAX_TRANSMIT_SPAN after the first transmission (45 s with the defaults: ACK_TIMEOUT 2 s, ACK_RANDOM_FACTOR
     * 1.5, MAX_RETRANSMIT 4, doubling), so relative to our receipt of the first copy the last copy arrives within the
     * span plus the difference of the two copies' latencies. EXCHANGE_LIFETIME (247 s) is the wrong bound: it adds
     * twice MAX_LATENCY (100 s, an Internet-wide bound on a datagram's life) and PROCESSING_DELAY for the sender's
     * reuse of a message id, not for the receiver's duplicate detection; keeping 5.5 times as many exchanges would
     * only shrink the load served before refusals. Devices are assumed to use the parameters configured here.
     */
    static Duration span(Configuration californium, Duration latencyAllowance) {
        double timeoutMillis =
                californium.get(org.eclipse.californium.core.config.CoapConfig.ACK_TIMEOUT, TimeUnit.MILLISECONDS)
                        * (double) Math.max(
                                1f, californium.get(org.eclipse.californium.core.config.CoapConfig.ACK_INIT_RANDOM));
        double scale = Math.max(1f, californium.get(org.eclipse.californium.core.config.CoapConfig.ACK_TIMEOUT_SCALE));
        double spanMillis = 0;
        for (int retransmission = 0;
                retransmission < californium.get(org.eclipse.californium.core.config.CoapConfig.MAX_RETRANSMIT);
                retransmission++) {
            spanMillis += timeoutMillis;
            timeoutMillis *= scale;
        }
        return Duration.ofMillis((long) Math.ceil(spanMillis)).plus(latencyAllowance);
    }

    /**
     * Heap one peer's kept exchanges may use: a share of the budget, so that no single peer can fill it and lock
     * out every other, but never less than what a legitimate busy device needs within the span, so that such a
     * device is never refused on its own account (a fixed count per peer refused a device posting 500 readings
     * within seconds, review). At most the whole budget: beyond it only the budget itself refuses.
     *
     * @param budgetBytes the endpoint's budget
     * @param sharePercent the share of the budget one peer may hold, 1..100
     * @param busyDeviceExchanges exchanges a device within its limits may cause within one span: its rate limit's
     *     burst plus its rate over the span, plus the blocks of one largest Block1 upload (blocks below the rate
     *     limit are each kept)
     * @param maxMessageSize largest serialized CoAP message, in bytes
     */
    static long peerBytes(long budgetBytes, int sharePercent, long busyDeviceExchanges, int maxMessageSize) {
        long share = budgetBytes / 100 * sharePercent;
        long busyDevice = busyDeviceExchanges * (ENTRY_OVERHEAD_BYTES + (long) maxMessageSize);
        return Math.min(budgetBytes, Math.max(share, busyDevice));
    }

    /** GETs of {@code /fw/{name}}: immutable artifacts, each block read again on a retransmission. */
    static boolean firmwareGet(Request request) {
        List<String> path = request.getOptions().getUriPath();
        return request.getCode() == Code.GET && path.size() == 2 && path.get(0).equals("fw");
    }

    /** Bytes charged per kept exchange. */
    int entryBytes() {
        return entryBytes;
    }

    /** Most exchanges kept at once: the budget divided by {@link #entryBytes()}. */
    int maxEntries() {
        return maxEntries;
    }

    /** Most exchanges kept at once for one peer: its byte share divided by {@link #entryBytes()}. */
    int maxPerPeer() {
        return maxPerPeer;
    }

    /** The budget in bytes. */
    long budgetBytes() {
        return budgetBytes;
    }

    /** Requests not kept because the budget or their peer's share was full, since start; for metrics and tests. */
    synchronized long refused() {
        return refused;
    }

    /** Serialized bytes of the requests and responses kept now, for tests and metrics. O(entries). */
    synchronized long retainedMessageBytes() {
        long sum = 0;
        for (Entry entry : entries.values()) {
            sum += length(entry.exchange.getCurrentRequest()) + length(entry.exchange.getCurrentResponse());
        }
        return sum;
    }

    /**
     * Whether a request that {@link #findPrevious} let through as new is remembered, so that its retransmissions
     * will be answered from here; false when it was refused for lack of room. Requests of {@code reservable}
     * routes count as remembered.
     */
    boolean remembers(Exchange exchange) {
        Request request = exchange.getRequest();
        if (reservable.test(request)) {
            return true;
        }
        synchronized (this) {
            Entry entry = entries.get(new KeyMID(request.getMID(), exchange.getPeersIdentity()));
            return entry != null && entry.exchange == exchange;
        }
    }

    /**
     * Seconds until a request of this peer may find room again: until the oldest entry that blocks it leaves its
     * span, at least 1. The Max-Age of a refusal.
     */
    synchronized int retryAfterSeconds(Object peer) {
        ArrayDeque<KeyMID> keys = perPeer.get(peer);
        KeyMID blocking = keys != null && keys.size() >= maxPerPeer
                ? keys.peekFirst()
                : entries.isEmpty() ? null : entries.keySet().iterator().next();
        if (blocking == null) {
            return 1;
        }
        long left = entries.get(blocking).nanos + spanNanos - nanoClock.getAsLong();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999_999L) / 1_000_000_000L));
    }

    @Override
    public synchronized void start() {
        if (sweeper == null && executor != null) {
            long period = Math.max(1, TimeUnit.NANOSECONDS.toMillis(spanNanos) / 4);
            sweeper = executor.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (sweeper != null) {
            sweeper.cancel(false);
            sweeper = null;
        }
    }

    @Override
    public synchronized void setExecutor(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    @Override
    public Exchange findPrevious(KeyMID key, Exchange exchange) {
        if (reservable.test(exchange.getRequest())) {
            return null;
        }
        synchronized (this) {
            Entry previous = entries.get(key);
            if (previous != null) {
                return previous.exchange;
            }
            // Expired entries make room first; without room the request is not kept and gets refused above us.
            if (hasRoom(key)) {
                add(key, exchange);
            }
            return null;
        }
    }

    @Override
    public synchronized boolean replacePrevious(KeyMID key, Exchange previous, Exchange exchange) {
        Entry current = entries.get(key);
        if (current != null && current.exchange != previous) {
            return false;
        }
        if (current != null) {
            // Re-insert at the tail: the new exchange starts its own span, and age order must hold for the sweep.
            entries.remove(key);
            forgetFromPeer(key);
        } else if (!hasRoom(key)) {
            return false;
        }
        add(key, exchange);
        return true;
    }

    @Override
    public synchronized Exchange find(KeyMID key) {
        Entry entry = entries.get(key);
        return entry == null ? null : entry.exchange;
    }

    @Override
    public synchronized boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public synchronized int size() {
        return entries.size();
    }

    @Override
    public synchronized void clear() {
        entries.clear();
        perPeer.clear();
    }

    /** Drops the entries whose span is over; called periodically and before a new entry is judged. */
    synchronized void sweep() {
        long oldest = nanoClock.getAsLong() - spanNanos;
        Iterator<Map.Entry<KeyMID, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<KeyMID, Entry> next = it.next();
            if (next.getValue().nanos - oldest > 0) {
                break;
            }
            it.remove();
            forgetFromPeer(next.getKey());
        }
    }

    /**
     * Sweeps, then counts a refusal when neither the budget nor the key's peer share has room for one more entry.
     * Every entry is charged the same bytes, so counting entries is counting bytes.
     */
    private boolean hasRoom(KeyMID key) {
        sweep();
        ArrayDeque<KeyMID> keys = perPeer.get(key.getPeer());
        if (entries.size() >= maxEntries || (keys != null && keys.size() >= maxPerPeer)) {
            refused++;
            return false;
        }
        return true;
    }

    private void add(KeyMID key, Exchange exchange) {
        perPeer.computeIfAbsent(key.getPeer(), p -> new ArrayDeque<>()).addLast(key);
        entries.put(key, new Entry(exchange, nanoClock.getAsLong()));
    }

    private void forgetFromPeer(KeyMID key) {
        ArrayDeque<KeyMID> keys = perPeer.get(key.getPeer());
        // Age order per peer matches the global one, so the key is usually the first and this is O(1).
        if (keys != null) {
            keys.remove(key);
            if (keys.isEmpty()) {
                perPeer.remove(key.getPeer());
            }
        }
    }

    private static int length(Message message) {
        byte[] bytes = message == null ? null : message.getBytes();
        return bytes == null ? 0 : bytes.length;
    }

    private record Entry(Exchange exchange, long nanos) {}
}
