package dev.mecgw.app.console.devices;

import dev.mecgw.app.ingest.RawMessage;
import dev.mecgw.app.ingest.RawMessageLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The last raw messages of each device (issue 19), for the device page: at most {@code perDevice} per device and
 * at most {@code maxBytes} in all (estimated heap: kept payload bytes, strings, per-entry overhead), the oldest
 * message of any device evicted first, so a chatty fleet never grows it. A payload is kept up to
 * {@code maxPayloadBytes}. {@link #record} copies that bounded prefix and appends under a short lock in O(1): it
 * sits just before a device's acknowledgement. Rendering happens only when a page asks ({@link #of}). Thread-safe.
 */
public final class RawMessageRing implements RawMessageLog {

    /** Longest topic, path or reason kept, in characters; a 64 KiB topic must not bypass the byte bound. */
    static final int MAX_TEXT = 256;
    /** Estimated bytes of an entry besides its payload and strings: objects, deque and set slots. */
    static final int ENTRY_OVERHEAD = 160;

    private final int perDevice;
    private final long maxBytes;
    private final int maxPayloadBytes;
    private final Map<String, ArrayDeque<Entry>> byDevice = new HashMap<>();
    /** Every entry, oldest first; LinkedHashSet removes any entry in O(1) (entries compare by identity). */
    private final LinkedHashSet<Entry> order = new LinkedHashSet<>();

    private long bytes;
    private long sequence;

    /**
     * @param perDevice messages kept per device, at least 1
     * @param maxBytes estimated bytes of all kept messages together
     * @param maxPayloadBytes payload bytes kept of each message (the page says how many there were)
     */
    public RawMessageRing(int perDevice, long maxBytes, int maxPayloadBytes) {
        if (perDevice < 1 || maxPayloadBytes < 0 || maxBytes < ENTRY_OVERHEAD + maxPayloadBytes + 8L * MAX_TEXT) {
            throw new IllegalArgumentException("raw message bounds too small for one message");
        }
        this.perDevice = perDevice;
        this.maxBytes = maxBytes;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    public void record(RawMessage message) {
        byte[] payload = message.payload() == null ? new byte[0] : message.payload();
        RawMessage kept = new RawMessage(
                message.deviceId(),
                message.protocol(),
                clip(message.address()),
                message.delivery(),
                Arrays.copyOf(payload, Math.min(payload.length, maxPayloadBytes)),
                message.receivedAt(),
                clip(message.rejection()));
        Entry entry = new Entry(kept, payload.length, cost(kept));
        synchronized (this) {
            entry.sequence = ++sequence;
            ArrayDeque<Entry> device = byDevice.computeIfAbsent(kept.deviceId(), id -> new ArrayDeque<>(4));
            device.addLast(entry);
            order.add(entry);
            bytes += entry.cost;
            if (device.size() > perDevice) {
                Entry first = device.pollFirst();
                order.remove(first);
                bytes -= first.cost;
            }
            while (bytes > maxBytes) {
                evictOldest();
            }
        }
    }

    /** The device's kept messages, newest first, rendered for the page; empty when none. */
    public List<RawMessageView> of(String deviceId) {
        List<Entry> entries;
        synchronized (this) {
            ArrayDeque<Entry> device = byDevice.get(deviceId);
            entries = device == null ? List.of() : new ArrayList<>(device);
        }
        List<RawMessageView> views = new ArrayList<>(entries.size());
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            views.add(RawMessageView.of(e.message, e.size));
        }
        return views;
    }

    /**
     * Changes whenever the device's kept messages change (one arrived or one was evicted), so a live region is
     * re-rendered only then; {@code "0"} for a device with none.
     */
    public synchronized String version(String deviceId) {
        ArrayDeque<Entry> device = byDevice.get(deviceId);
        return device == null || device.isEmpty()
                ? "0"
                : device.peekFirst().sequence + "-" + device.peekLast().sequence;
    }

    /** Estimated bytes kept, all devices together. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Messages kept, all devices together. */
    public synchronized int size() {
        return order.size();
    }

    private void evictOldest() {
        Entry oldest = order.iterator().next();
        order.remove(oldest);
        bytes -= oldest.cost;
        // The oldest of all is the oldest of its device.
        ArrayDeque<Entry> device = byDevice.get(oldest.message.deviceId());
        device.pollFirst();
        if (device.isEmpty()) {
            byDevice.remove(oldest.message.deviceId());
        }
    }

    private static String clip(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }

    private static long cost(RawMessage m) {
        return ENTRY_OVERHEAD
                + m.payload().length
                + 2L * (length(m.deviceId()) + length(m.address()) + length(m.delivery()) + length(m.rejection()));
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }

    /** One kept message; identity equality, so the set removes exactly this entry. */
    private static final class Entry {
        final RawMessage message;
        final int size;
        final long cost;
        long sequence;

        Entry(RawMessage message, int size, long cost) {
            this.message = message;
            this.size = size;
            this.cost = cost;
        }
    }
}
