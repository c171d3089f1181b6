package dev.mecgw.app.mqtt.persistence;

import dev.mecgw.app.acl.TopicFilters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The latest retained message per topic, in memory for matching and written through to the store so that they
 * survive a restart; an empty payload removes one (MQTT section 3.3.1.3). Each message is counted against the
 * device that published it and against the total (issue 15 item 7), so that one device cannot fill the heap with
 * retained messages on ever new topics. Confined to the broker's context.
 */
public final class RetainedMessages {

    /** Owner of messages nobody is held to: gateway-originated ones, and those loaded after a restart. */
    private static final String UNATTRIBUTED = "";

    private final Map<String, Held> byTopic = new HashMap<>();
    private final Map<String, Usage> byOwner = new HashMap<>();
    private final Usage total = new Usage();
    private final Quota quota;
    private final RetainedStore store;
    private final StoreWrites writes;

    /**
     * The bounds on retained messages (from {@code mecgw.mqtt}); payload bytes, as topics are bounded by the packet.
     *
     * @param perOwner most retained messages one device (or anonymous client id) holds
     * @param perOwnerBytes most payload bytes one device holds retained
     * @param total most retained messages altogether
     * @param totalBytes most retained payload bytes altogether
     */
    public record Quota(int perOwner, long perOwnerBytes, int total, long totalBytes) {}

    /** Why a retained message was refused, as the metric's {@code reason} tag. */
    public enum Refusal {
        PER_DEVICE("per-device"),
        TOTAL("total");

        /** The tag value. */
        public final String tag;

        Refusal(String tag) {
            this.tag = tag;
        }
    }

    private record Held(BrokerMessage message, String owner) {}

    private static final class Usage {
        int count;
        long bytes;

        void add(int messages, long payloadBytes) {
            count += messages;
            bytes += payloadBytes;
        }
    }

    /** Retained messages in memory for matching, written through to {@code store} on the one store thread. */
    public RetainedMessages(RetainedStore store, StoreWrites writes, Quota quota) {
        this.store = store;
        this.writes = writes;
        this.quota = quota;
    }

    /** Loads the stored messages, counted in the total only (their publisher is not stored); blocking, call once. */
    public void load() {
        for (BrokerMessage m : store.loadAll()) {
            hold(m, UNATTRIBUTED);
        }
    }

    /**
     * Whether retaining {@code payloadBytes} on {@code topic} for {@code owner} stays within the quota; replacing a
     * message frees what it held. Removals (empty payloads) and gateway messages ({@code owner} null) always fit.
     *
     * @return null when it fits, else which bound it would break
     */
    public Refusal refusal(String topic, int payloadBytes, String owner) {
        if (payloadBytes == 0 || owner == null) {
            return null;
        }
        Held old = byTopic.get(topic);
        int freedCount = old == null ? 0 : 1;
        long freedBytes = old == null ? 0 : old.message().payload().length;
        if (total.count - freedCount + 1 > quota.total()
                || total.bytes - freedBytes + payloadBytes > quota.totalBytes()) {
            return Refusal.TOTAL;
        }
        Usage mine = byOwner.get(owner);
        boolean replacesOwn = old != null && old.owner().equals(owner);
        int count = (mine == null ? 0 : mine.count) - (replacesOwn ? 1 : 0) + 1;
        long bytes = (mine == null ? 0 : mine.bytes) - (replacesOwn ? freedBytes : 0) + payloadBytes;
        return count > quota.perOwner() || bytes > quota.perOwnerBytes() ? Refusal.PER_DEVICE : null;
    }

    /**
     * Retains (or, for an empty payload, removes) the message of its topic.
     *
     * @param owner the publishing device (or anonymous client id) it is counted against; null for gateway messages
     * @return completes once the store has it, so that its PUBACK can wait for that
     */
    public CompletableFuture<Void> retain(BrokerMessage message, String owner) {
        release(byTopic.remove(message.topic()));
        if (message.payload().length == 0) {
            return writes.submit(() -> store.remove(message.topic()), "Retained message removal");
        }
        hold(message, owner == null ? UNATTRIBUTED : owner);
        return writes.submit(() -> store.put(message), "Retained message");
    }

    private void hold(BrokerMessage message, String owner) {
        release(byTopic.put(message.topic(), new Held(message, owner)));
        byOwner.computeIfAbsent(owner, o -> new Usage()).add(1, message.payload().length);
        total.add(1, message.payload().length);
    }

    private void release(Held held) {
        if (held == null) {
            return;
        }
        int bytes = held.message().payload().length;
        total.add(-1, -bytes);
        Usage usage = byOwner.get(held.owner());
        usage.add(-1, -bytes);
        if (usage.count == 0) {
            byOwner.remove(held.owner());
        }
    }

    /** Retained messages held now (gauge {@code mecgw.mqtt.retained.messages}). */
    public int count() {
        return total.count;
    }

    /** Retained payload bytes held now (gauge {@code mecgw.mqtt.retained.bytes}). */
    public long bytes() {
        return total.bytes;
    }

    /** The unexpired retained messages a topic filter matches, as a snapshot. */
    public List<BrokerMessage> matching(String filter, long nowMillis) {
        List<BrokerMessage> matches = new ArrayList<>();
        for (Held held : byTopic.values()) {
            BrokerMessage m = held.message();
            if (!m.isExpired(nowMillis) && TopicFilters.matches(filter, m.topic())) {
                matches.add(m);
            }
        }
        return matches;
    }
}
