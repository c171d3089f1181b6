package dev.mecgw.app.mqtt.persistence;

import java.util.List;

/** Durable retained messages, so they survive a restart. Blocking; called from the broker's store thread. */
public interface RetainedStore {

    /** Every stored retained message. */
    List<BrokerMessage> loadAll();

    /** Stores or replaces the retained message of its topic. */
    void put(BrokerMessage message);

    /** Forgets the retained message of a topic. */
    void remove(String topic);
}
