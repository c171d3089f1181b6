package dev.mecgw.app.mqtt.persistence;

import dev.mecgw.app.acl.TopicFilters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The latest retained message per topic, in memory for matching and written through to the store so that they
 * survive a restart; an empty payload removes one (MQTT section 3.3.1.3). Confined to the broker's context.
 */
public final class RetainedMessages {

    private final Map<String, BrokerMessage> byTopic = new HashMap<>();
    private final RetainedStore store;
    private final StoreWrites writes;

    /** Retained messages in memory for matching, written through to {@code store} on the one store thread. */
    public RetainedMessages(RetainedStore store, StoreWrites writes) {
        this.store = store;
        this.writes = writes;
    }

    /** Loads the stored messages; blocking, call once before listening. */
    public void load() {
        for (BrokerMessage m : store.loadAll()) {
            byTopic.put(m.topic(), m);
        }
    }

    /**
     * Retains (or, for an empty payload, removes) the message of its topic.
     *
     * @return completes once the store has it, so that its PUBACK can wait for that
     */
    public CompletableFuture<Void> retain(BrokerMessage message) {
        if (message.payload().length == 0) {
            byTopic.remove(message.topic());
            return writes.submit(() -> store.remove(message.topic()), "Retained message removal");
        }
        byTopic.put(message.topic(), message);
        return writes.submit(() -> store.put(message), "Retained message");
    }

    /** The unexpired retained messages a topic filter matches, as a snapshot. */
    public List<BrokerMessage> matching(String filter, long nowMillis) {
        List<BrokerMessage> matches = new ArrayList<>();
        for (BrokerMessage m : byTopic.values()) {
            if (!m.isExpired(nowMillis) && TopicFilters.matches(filter, m.topic())) {
                matches.add(m);
            }
        }
        return matches;
    }
}
