package dev.mecgw.app.ingest;

import dev.mecgw.app.telemetry.Reading;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ingest queue's byte budget, with a share per device (issue 15 item 4). A message is held from
 * {@link #acquire} until its batch is committed or failed ({@link #release}). A device is throttled when its queued
 * bytes would exceed {@code maxDeviceBytes}, or, once the queue is more than half full, its fair share of the half
 * (the half divided by the devices holding bytes): a flooding device is refused first and the others keep room.
 * Only when the whole budget is spent by devices within their share is everyone refused. Sizes are estimates of
 * the heap a message's readings take. Thread-safe.
 */
final class IngestQuota {

    /** What {@link #acquire} decided. */
    enum Verdict {
        ACCEPTED,
        /** The device exceeds its share; others are still accepted. */
        THROTTLED,
        /** The queue is full. */
        FULL
    }

    private static final int MESSAGE_OVERHEAD = 96;
    private static final int READING_OVERHEAD = 120;

    private final long maxBytes;
    private final long maxDeviceBytes;
    private final Map<String, Long> perDevice = new HashMap<>();
    private long queuedBytes;

    IngestQuota(long maxBytes, long maxDeviceBytes) {
        this.maxBytes = maxBytes;
        this.maxDeviceBytes = Math.min(maxBytes, maxDeviceBytes);
    }

    /** The estimated heap size of one message's readings, in bytes. */
    static long sizeOf(List<Reading> readings) {
        long bytes = MESSAGE_OVERHEAD;
        for (Reading reading : readings) {
            bytes += READING_OVERHEAD
                    + 2L * reading.metric().length()
                    + (reading.unit() == null ? 0 : 40 + 2L * reading.unit().length());
        }
        return bytes;
    }

    /** Reserves a message's bytes for its device unless the verdict is not {@link Verdict#ACCEPTED}. */
    synchronized Verdict acquire(String deviceId, long bytes) {
        long held = perDevice.getOrDefault(deviceId, 0L);
        boolean crowded = queuedBytes + bytes > maxBytes / 2;
        if (held + bytes > maxDeviceBytes || (crowded && held + bytes > fairShare(held))) {
            return Verdict.THROTTLED;
        }
        if (queuedBytes + bytes > maxBytes) {
            return Verdict.FULL;
        }
        perDevice.put(deviceId, held + bytes);
        queuedBytes += bytes;
        return Verdict.ACCEPTED;
    }

    /** Gives back what {@link #acquire} reserved. */
    synchronized void release(String deviceId, long bytes) {
        queuedBytes -= bytes;
        perDevice.computeIfPresent(deviceId, (d, held) -> held - bytes <= 0 ? null : held - bytes);
    }

    /** Bytes queued now. */
    synchronized long queuedBytes() {
        return queuedBytes;
    }

    /** Half the budget divided among the devices holding bytes, counting the asking device. */
    private long fairShare(long held) {
        int devices = perDevice.size() + (held == 0 ? 1 : 0);
        return maxBytes / 2 / Math.max(1, devices);
    }
}
