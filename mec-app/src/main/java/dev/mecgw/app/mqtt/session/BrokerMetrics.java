package dev.mecgw.app.mqtt.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.TooLongFrameException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The broker's Micrometer meters, one per configurable limit plus traffic counters. */
public class BrokerMetrics {

    private final Counter dropped;
    private final Counter refusedByAddressLimit;
    private final Counter refusedClientIds;
    private final Counter refusedSubscriptions;
    private final Counter deniedPublishes;
    private final Counter received;
    private final Counter rejectedPayloads;
    private final Counter redeliveriesDropped;
    private final Counter protocolErrors;
    private final Counter tooLarge;
    private final Counter overInflight;
    private final Counter publishersPaused;
    private final Counter subscribersStalled;
    private final Counter refusedSessionQuota;
    private final MeterRegistry meters;
    private final AtomicInteger retainedMessages = new AtomicInteger();
    private final AtomicLong retainedBytes = new AtomicLong();
    /** Open connections, read by the gauge {@code mecgw.mqtt.connections}. */
    public final AtomicInteger connections = new AtomicInteger();

    final AtomicInteger sessions = new AtomicInteger();
    final AtomicInteger subscriptions = new AtomicInteger();

    /** Registers every broker meter once, at start, so that a dashboard sees zeros rather than gaps. */
    public BrokerMetrics(MeterRegistry meters) {
        dropped = meters.counter("mecgw.mqtt.messages.dropped");
        refusedByAddressLimit = meters.counter("mecgw.mqtt.connections.refused", "reason", "per-address-limit");
        refusedClientIds = meters.counter("mecgw.mqtt.connections.refused", "reason", "client-id-not-bound");
        refusedSubscriptions = meters.counter("mecgw.mqtt.subscriptions.refused");
        deniedPublishes = meters.counter("mecgw.mqtt.publishes.denied");
        received = meters.counter("mecgw.mqtt.messages.received");
        rejectedPayloads = meters.counter("mecgw.mqtt.payloads.rejected");
        redeliveriesDropped = meters.counter("mecgw.mqtt.redeliveries.dropped");
        protocolErrors = meters.counter("mecgw.mqtt.protocol.errors");
        tooLarge = meters.counter("mecgw.mqtt.packets.refused", "reason", "too-large");
        overInflight = meters.counter("mecgw.mqtt.packets.refused", "reason", "receive-maximum-exceeded");
        publishersPaused = meters.counter("mecgw.mqtt.publishers.paused");
        subscribersStalled = meters.counter("mecgw.mqtt.subscribers.stalled");
        refusedSessionQuota = meters.counter("mecgw.mqtt.connections.refused", "reason", "session-quota");
        for (String reason : new String[] {"per-device", "total"}) {
            meters.counter("mecgw.mqtt.retained.refused", "reason", reason);
        }
        this.meters = meters;
        meters.gauge("mecgw.mqtt.retained.messages", retainedMessages);
        meters.gauge("mecgw.mqtt.retained.bytes", retainedBytes);
        meters.gauge("mecgw.mqtt.connections", connections);
        meters.gauge("mecgw.mqtt.sessions", sessions);
        meters.gauge("mecgw.mqtt.subscriptions", subscriptions);
    }

    /** A new session refused because the device, or the gateway, holds its most sessions (issue 15 item 7). */
    void refusedSessionQuota() {
        refusedSessionQuota.increment();
    }

    /** A retained message refused (or routed without being retained) over a retained-message bound. */
    void refusedRetained(String reason) {
        meters.counter("mecgw.mqtt.retained.refused", "reason", reason).increment();
    }

    /** What the retained messages hold now. */
    void retained(int messages, long bytes) {
        retainedMessages.set(messages);
        retainedBytes.set(bytes);
    }

    void dropped() {
        dropped.increment();
    }

    /** A CONNECT refused because its source address has too many connections (a flood, not a bad device). */
    public void refusedByAddressLimit() {
        refusedByAddressLimit.increment();
    }

    /** A CONNECT refused because the client id is not bound to the authenticated device. */
    public void refusedClientId() {
        refusedClientIds.increment();
    }

    /** A SUBSCRIBE filter refused by the access policy or the per-client limit. */
    public void refusedSubscription() {
        refusedSubscriptions.increment();
    }

    /** A PUBLISH the access policy refused: shows a misconfigured or probing device. */
    public void deniedPublish() {
        deniedPublishes.increment();
    }

    /** Counts accepted PUBLISH packets ({@code mecgw.mqtt.messages.received}), the broker's traffic figure. */
    public void received() {
        received.increment();
    }

    /** A telemetry payload that could not be parsed: refused with a reason code, counted to spot bad firmware. */
    public void rejectedPayload() {
        rejectedPayloads.increment();
    }

    /** A QoS 1 resend (DUP) of a publish already taken in: acknowledged, not stored again (issue 14 item 6). */
    public void redeliveryDropped() {
        redeliveriesDropped.increment();
    }

    /** A connection closed for breaking the protocol, when there is no cause to classify. */
    public void protocolError() {
        protocolErrors.increment();
    }

    /** A connection failed on bad input; packets over the size limit are also counted on their own. */
    public void protocolError(Throwable cause) {
        protocolErrors.increment();
        if (cause instanceof TooLongFrameException) {
            tooLarge.increment();
        }
    }

    /** An MQTT 5 client sent a packet over the broker's Maximum Packet Size (ended with DISCONNECT 0x95). */
    public void packetTooLarge() {
        protocolErrors.increment();
        tooLarge.increment();
    }

    /** An MQTT 5 client sent more unacknowledged QoS 1/2 publishes than the receive maximum allows. */
    public void inflightExceeded() {
        overInflight.increment();
    }

    /** A publishing connection stopped reading for a congested subscriber (backpressure). */
    void publisherPaused() {
        publishersPaused.increment();
    }

    /** A congested subscriber did not drain within the pause limit; its queue drops oldest again. */
    void subscriberStalled() {
        subscribersStalled.increment();
    }
}
