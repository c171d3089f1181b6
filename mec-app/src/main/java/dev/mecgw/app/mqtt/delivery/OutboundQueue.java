package dev.mecgw.app.mqtt.delivery;

import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * Messages waiting for a client that is offline or whose inflight window is full, bounded by count
 * and payload bytes; overflow drops the oldest. For a connected client, publishers are paused from the
 * high watermark (half the bounds) to the low one (a quarter; see {@link SubscriberCongestion}), so the
 * bound is only a last resort there. Not thread-safe: owned by the broker's event loop.
 */
public class OutboundQueue {

    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final int maxMessages;
    private final long maxBytes;
    private long bytes;

    /** Bounded by both count and payload bytes so that a few large messages cannot exhaust the heap. */
    public OutboundQueue(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * Appends a message.
     *
     * @return how many older messages were dropped to make room
     */
    public int offer(BrokerMessage message, int qos, boolean retain) {
        return offer(message, qos, retain, 0, q -> {});
    }

    /**
     * Appends a message that may be stored under a sequence number.
     *
     * @param seq the stored message's sequence number, or 0 when it is not stored
     * @param onDrop told of every older message dropped to make room (so its stored copy goes too)
     * @return how many older messages were dropped to make room
     */
    public int offer(BrokerMessage message, int qos, boolean retain, long seq, Consumer<Queued> onDrop) {
        int dropped = 0;
        queue.addLast(new Queued(message, qos, retain, seq));
        bytes += message.payload().length;
        while (queue.size() > maxMessages || (bytes > maxBytes && queue.size() > 1)) {
            onDrop.accept(poll());
            dropped++;
        }
        return dropped;
    }

    /** Gives every message not yet stored a sequence number from {@code store}, keeping the order. */
    public void storeMissing(ToLongFunction<Queued> store) {
        int n = queue.size();
        for (int i = 0; i < n; i++) {
            Queued q = queue.pollFirst();
            queue.addLast(q.seq() > 0 ? q : new Queued(q.message(), q.qos(), q.retain(), store.applyAsLong(q)));
        }
    }

    /** Takes the oldest message for delivery, or null when empty. */
    public Queued poll() {
        Queued head = queue.pollFirst();
        if (head != null) {
            bytes -= head.message().payload().length;
        }
        return head;
    }

    /** Half the count or byte bound reached: time to pause the publishers. */
    public boolean aboveHighWatermark() {
        return queue.size() >= Math.max(1, maxMessages / 2) || bytes >= maxBytes / 2;
    }

    /** Down to a quarter of both bounds: the publishers may resume. */
    public boolean belowLowWatermark() {
        return queue.size() <= maxMessages / 4 && bytes <= maxBytes / 4;
    }

    /** Messages waiting: how far an offline or slow client is behind. */
    public int size() {
        return queue.size();
    }

    long bytes() {
        return bytes;
    }

    /** Empties the queue when a clean start discards the session. */
    public void clear() {
        queue.clear();
        bytes = 0;
    }

    /** A queued delivery with the QoS and retain flag it will be sent with; seq 0 when not stored. */
    public record Queued(BrokerMessage message, int qos, boolean retain, long seq) {}
}
