package dev.mecgw.app.mqtt.session;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

/**
 * Backpressure toward one publishing connection: while a connected subscriber it feeds is congested,
 * the connection stops reading ({@link InboundGate}), so TCP and the publisher's inflight window slow
 * the publisher down. Broker event loop only.
 *
 * <p>A connection that itself awaits acknowledgements for deliveries is never paused, and is released
 * as soon as a delivery needs its acknowledgement: a paused connection reads no PUBACK, so pausing it
 * could otherwise close a cycle of subscribers waiting on each other.
 */
public final class PublisherFlow {

    private final InboundGate gate;
    private final MqttSession own;
    private final BrokerMetrics metrics;
    private final Set<SubscriberCongestion> blockers = new HashSet<>();

    /** One per publishing connection: pauses its reads while a subscriber it feeds is congested. */
    public PublisherFlow(InboundGate gate, MqttSession own, BrokerMetrics metrics) {
        this.gate = gate;
        this.own = own;
        this.metrics = metrics;
    }

    /**
     * Pauses reading until {@code subscriber} drains.
     *
     * @return false when this connection must keep reading (its own session awaits acknowledgements)
     */
    boolean blockOn(SubscriberCongestion subscriber) {
        if (own.inflightCount() > 0 || own.queuedCount() > 0) {
            return false;
        }
        if (blockers.add(subscriber) && blockers.size() == 1) {
            gate.pause();
            metrics.publisherPaused();
        }
        return true;
    }

    /** The subscriber drained (or was given up on); reading resumes once no subscriber blocks it. */
    void unblock(SubscriberCongestion subscriber) {
        if (blockers.remove(subscriber) && blockers.isEmpty()) {
            gate.resume();
        }
    }

    /** Resumes reading at once: the connection closed, or a delivery now awaits its acknowledgement. */
    public void release() {
        if (blockers.isEmpty()) {
            return;
        }
        for (SubscriberCongestion subscriber : new ArrayList<>(blockers)) {
            subscriber.forget(this);
        }
        blockers.clear();
        gate.resume();
    }

    /** Whether this connection's client reads slower than the broker writes to it (see {@link InboundGate}). */
    boolean outboundFull() {
        return gate.outboundFull();
    }

    boolean paused() {
        return !blockers.isEmpty();
    }
}
