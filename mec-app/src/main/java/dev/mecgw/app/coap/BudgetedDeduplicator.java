package dev.mecgw.app.coap;

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

/**
 * Californium deduplicator bounded in bytes (issue 18 finding 1): the per-peer mark-and-sweep kept up to 256
 * exchanges for each peer, each holding its serialized ~1 KiB response, so heap grew with the number of
 * downloading peers (311 MiB with 200 peers fetching Block2 firmware). Here every kept exchange is charged
 * {@link #entryBytes()} (the largest message plus the objects around it) against one budget; beyond it, or beyond
 * the per-peer count, the oldest entry goes first. Requests that can be re-served from their source, GETs of
 * immutable artifacts, are not kept at all: a retransmitted block GET reads the block again. An entry older than
 * the exchange lifetime is swept. Thread-safe (one lock; the operations are O(1) amortized).
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
    private final long lifetimeNanos;
    private final Predicate<Request> reservable;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<KeyMID, Entry> entries = new LinkedHashMap<>();
    private final Map<Object, ArrayDeque<KeyMID>> perPeer = new HashMap<>();
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> sweeper;

    /**
     * @param budgetBytes heap the kept exchanges may use together; at least one entry
     * @param maxMessageSize largest serialized CoAP message, in bytes
     * @param maxPerPeer most exchanges kept for one peer
     * @param lifetimeNanos how long an exchange is kept at most (Californium's EXCHANGE_LIFETIME)
     * @param reservable requests not kept, because answering them twice is harmless and cheap
     * @param nanoClock {@link System#nanoTime()} or a test clock
     */
    BudgetedDeduplicator(
            long budgetBytes,
            int maxMessageSize,
            int maxPerPeer,
            long lifetimeNanos,
            Predicate<Request> reservable,
            LongSupplier nanoClock) {
        this.budgetBytes = budgetBytes;
        this.entryBytes = ENTRY_OVERHEAD_BYTES + maxMessageSize;
        this.maxEntries = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budgetBytes / entryBytes));
        this.maxPerPeer = maxPerPeer;
        this.lifetimeNanos = lifetimeNanos;
        this.reservable = reservable;
        this.nanoClock = nanoClock;
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

    /** The budget in bytes. */
    long budgetBytes() {
        return budgetBytes;
    }

    /** Serialized bytes of the requests and responses kept now, for tests and metrics. O(entries). */
    synchronized long retainedMessageBytes() {
        long sum = 0;
        for (Entry entry : entries.values()) {
            sum += length(entry.exchange.getCurrentRequest()) + length(entry.exchange.getCurrentResponse());
        }
        return sum;
    }

    @Override
    public synchronized void start() {
        if (sweeper == null && executor != null) {
            long period = Math.max(1, TimeUnit.NANOSECONDS.toMillis(lifetimeNanos) / 4);
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
            add(key, exchange);
            return null;
        }
    }

    @Override
    public synchronized boolean replacePrevious(KeyMID key, Exchange previous, Exchange exchange) {
        Entry current = entries.get(key);
        if (current == null || current.exchange == previous) {
            if (current == null) {
                add(key, exchange);
            } else {
                entries.put(key, new Entry(exchange, nanoClock.getAsLong()));
            }
            return true;
        }
        return false;
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

    /** Drops the entries older than the lifetime; called periodically. */
    synchronized void sweep() {
        long oldest = nanoClock.getAsLong() - lifetimeNanos;
        Iterator<Map.Entry<KeyMID, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<KeyMID, Entry> next = it.next();
            if (next.getValue().nanos - oldest >= 0) {
                break;
            }
            it.remove();
            forgetFromPeer(next.getKey());
        }
    }

    private void add(KeyMID key, Exchange exchange) {
        ArrayDeque<KeyMID> keys = perPeer.computeIfAbsent(key.getPeer(), p -> new ArrayDeque<>());
        if (keys.size() >= maxPerPeer) {
            entries.remove(keys.pollFirst());
        }
        if (entries.size() >= maxEntries) {
            Iterator<KeyMID> eldest = entries.keySet().iterator();
            KeyMID evicted = eldest.next();
            eldest.remove();
            forgetFromPeer(evicted);
        }
        // The eviction above may have emptied and dropped this peer's queue.
        perPeer.computeIfAbsent(key.getPeer(), p -> new ArrayDeque<>()).addLast(key);
        entries.put(key, new Entry(exchange, nanoClock.getAsLong()));
    }

    private void forgetFromPeer(KeyMID key) {
        ArrayDeque<KeyMID> keys = perPeer.get(key.getPeer());
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
