package dev.mecgw.app.mqtt.session;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;

/**
 * The QoS 1 publishes a session took in, by packet id (issue 14 item 6). A client whose PUBACK was lost with its
 * connection resends the publish with DUP, on the same persistent session; without {@code ts} the reading would
 * be stored a second time with a second server timestamp. A packet id is free for reuse only once its PUBACK
 * reached the client, so a DUP copy of a remembered id and content is the same message. Only the newest
 * {@code capacity} ids are kept: a client has at most its receive maximum unacknowledged. Event loop only.
 */
public final class InboundRedeliveries {

    private final LinkedHashMap<Integer, Accepted> accepted = new LinkedHashMap<>();

    /**
     * Remembers a publish that is now being processed; its outcome completes with whether it was stored.
     *
     * @param capacity most ids kept (the broker's receive maximum)
     */
    public CompletableFuture<Boolean> took(int packetId, String topic, byte[] payload, int capacity) {
        Accepted entry = new Accepted(fingerprint(topic, payload), new CompletableFuture<>());
        accepted.remove(packetId);
        accepted.put(packetId, entry);
        if (accepted.size() > capacity) {
            accepted.remove(accepted.keySet().iterator().next());
        }
        return entry.stored;
    }

    /**
     * The outcome of the earlier copy of a resent (DUP) publish, or {@code null} when this session did not take
     * that message in (then it is processed as new).
     */
    public CompletableFuture<Boolean> earlierCopy(int packetId, String topic, byte[] payload) {
        Accepted entry = accepted.get(packetId);
        return entry != null && entry.fingerprint == fingerprint(topic, payload) ? entry.stored : null;
    }

    /** Records the outcome of a publish; a failed one is forgotten, so that its resend is processed again. */
    public void settled(int packetId, boolean stored) {
        Accepted entry = accepted.get(packetId);
        if (entry == null || entry.stored.isDone()) {
            return;
        }
        if (!stored) {
            accepted.remove(packetId);
        }
        entry.stored.complete(stored);
    }

    /** A clean start forgets everything. */
    public void clear() {
        accepted.clear();
    }

    private static int fingerprint(String topic, byte[] payload) {
        return 31 * topic.hashCode() + Arrays.hashCode(payload);
    }

    private record Accepted(int fingerprint, CompletableFuture<Boolean> stored) {}
}
