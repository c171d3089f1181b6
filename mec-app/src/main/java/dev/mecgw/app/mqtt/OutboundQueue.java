package dev.mecgw.app.mqtt;

import java.util.ArrayDeque;

/**
 * Messages waiting for a client that is offline or whose inflight window is full, bounded by count
 * and payload bytes; overflow drops the oldest. Not thread-safe: owned by the broker's event loop.
 */
class OutboundQueue {

    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final int maxMessages;
    private final long maxBytes;
    private long bytes;

    OutboundQueue(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * Appends a message.
     *
     * @return how many older messages were dropped to make room
     */
    int offer(BrokerMessage message, int qos, boolean retain) {
        int dropped = 0;
        queue.addLast(new Queued(message, qos, retain));
        bytes += message.payload().length;
        while (queue.size() > maxMessages || (bytes > maxBytes && queue.size() > 1)) {
            poll();
            dropped++;
        }
        return dropped;
    }

    Queued poll() {
        Queued head = queue.pollFirst();
        if (head != null) {
            bytes -= head.message().payload().length;
        }
        return head;
    }

    int size() {
        return queue.size();
    }

    long bytes() {
        return bytes;
    }

    void clear() {
        queue.clear();
        bytes = 0;
    }

    /** A queued delivery with the QoS and retain flag it will be sent with. */
    record Queued(BrokerMessage message, int qos, boolean retain) {
    }
}
