package dev.mecgw.app.mqtt.session;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.mqtt.delivery.OutboundQueue;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.mqtt.persistence.SessionStore;
import dev.mecgw.app.mqtt.persistence.Subscription;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The state of one MQTT client id: its connection (when online), subscriptions, outbound inflight
 * window and queue, inbound QoS 2 ids and topic aliases. Survives reconnects of persistent sessions.
 * All methods run on the broker's event loop.
 */
public class MqttSession {

    private final String clientId;
    private final Principal principal;
    private final OutboundQueue queue;
    private final SubscriberCongestion congestion;
    private final BrokerMetrics metrics;
    private final SessionJournal journal;
    /** The broker's clock: message expiry (MQTT 5 section 3.3.2.3.3) runs on it. */
    private final Clock clock;
    /** Told of every outbound message the client acknowledged (PUBACK, PUBCOMP): command delivery, issue 17. */
    private final Consumer<BrokerMessage> acknowledged;

    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final LinkedHashMap<Integer, Inflight> inflight = new LinkedHashMap<>();
    /**
     * Gateway command ids in flight or queued here, with their copies (a restored queue may hold one twice): decides
     * whether a command handed again is held already without scanning a deep offline queue for each (review r8).
     */
    private final Map<String, Integer> heldCommands = new HashMap<>();
    /** Inbound QoS 2 packet ids awaiting PUBREL; true once PUBREC was sent (so a duplicate is not redelivered). */
    private final Map<Integer, Boolean> awaitingRelease = new HashMap<>();

    private final Map<Integer, String> topicAliases = new HashMap<>();
    private final InboundAcks inboundAcks = new InboundAcks(this::isConnected);
    private final InboundRedeliveries redeliveries = new InboundRedeliveries();
    /** The attached connection, or null while offline; it may already refuse writes (see {@link #isConnected}). */
    private MqttEndpoint endpoint;
    /** The connection's own backpressure, released when a delivery needs its acknowledgement. */
    private PublisherFlow flow;

    private boolean mqtt5;
    private int sendWindow;
    private int clientMaxPacketSize = Integer.MAX_VALUE;
    private long expirySeconds;
    private long expiryTimer = -1;
    /** When this offline session expires, epoch millis of the broker's clock; 0 while connected. */
    private long expiresAtMillis;

    private int nextPacketId;
    private boolean persisted;

    MqttSession(
            String clientId,
            Principal principal,
            OutboundQueue queue,
            SubscriberCongestion congestion,
            BrokerMetrics metrics,
            SessionJournal journal,
            Consumer<BrokerMessage> acknowledged,
            Clock clock) {
        this.clientId = clientId;
        this.clock = clock;
        this.acknowledged = acknowledged;
        this.principal = principal;
        this.queue = queue;
        this.congestion = congestion;
        this.metrics = metrics;
        this.journal = journal;
    }

    /** Rebuilds a stored session at start-up (offline until its client reconnects). */
    void restore(SessionStore.StoredSession stored) {
        this.expirySeconds = stored.expirySeconds();
        this.persisted = true;
        for (Subscription s : stored.subscriptions()) {
            subscriptions.put(Broker.key(s.shareGroup(), s.filter()), s);
        }
        for (SessionStore.StoredMessage m : stored.messages()) {
            hold(m.message().gatewayCommandId());
            queue.offer(m.message(), m.qos(), m.retain(), m.seq(), this::forgetStored);
        }
    }

    /**
     * Stores what a persistent session still owes its client (unacknowledged and queued messages) when
     * it goes offline; messages queued while online were kept in memory only, off the hot path.
     */
    void storePending() {
        for (Inflight f : inflight.values()) {
            if (f.seq == 0) {
                f.seq = journal.append(clientId, f.message, f.qos, f.retain);
            }
        }
        queue.storeMissing(q -> journal.append(clientId, q.message(), q.qos(), q.retain()));
    }

    private void forgetStored(OutboundQueue.Queued dropped) {
        release(dropped.message());
        metrics.dropped();
        journal.remove(clientId, dropped.seq());
    }

    /** Binds a (new) connection and resends what the previous connection left unacknowledged. */
    public void attach(
            MqttEndpoint connection,
            PublisherFlow connectionFlow,
            int window,
            int maxPacketSize,
            long sessionExpirySeconds) {
        this.endpoint = connection;
        this.flow = connectionFlow;
        this.mqtt5 = connection.protocolVersion() == 5;
        this.sendWindow = window;
        this.clientMaxPacketSize = maxPacketSize;
        this.expirySeconds = sessionExpirySeconds;
        topicAliases.clear();
        inboundAcks.clear();
        // A copy: a message that expired while offline leaves the window as it is written.
        for (Map.Entry<Integer, Inflight> e : List.copyOf(inflight.entrySet())) {
            Inflight f = e.getValue();
            if (f.released) {
                writeRelease(e.getKey());
            } else {
                write(e.getKey(), f.message, f.qos, f.retain, true);
            }
        }
        drain();
    }

    /** The connection went away but the session may outlive it (persistent session): keep state, drop the endpoint. */
    public void detach() {
        endpoint = null;
        inboundAcks.clear();
        // Offline, the bounded queue drops oldest; nobody waits for this session any more.
        congestion.releaseAll();
        if (flow != null) {
            flow.release();
            flow = null;
        }
    }

    /**
     * Delivers a message at the given QoS, queueing it when the client is offline or its window is full. A connection
     * that is closing but not yet detached counts as offline: vert.x refuses writes on it (see {@link #isConnected}).
     */
    void deliver(BrokerMessage message, int qos, boolean retain) {
        if (message.maxEncodedSize() > clientMaxPacketSize) {
            // MQTT 5 section 3.1.2.11.4: discard what the client cannot accept.
            metrics.dropped();
            return;
        }
        boolean connected = isConnected();
        if (qos == 0) {
            if (connected && flow != null && flow.outboundFull()) {
                // At most once: a client that cannot keep up loses QoS 0 messages rather than the broker its heap.
                metrics.dropped();
            } else if (connected) {
                write(0, message, 0, retain, false);
            }
            return;
        }
        String commandId = message.gatewayCommandId();
        if (commandId != null && heldCommands.containsKey(commandId)) {
            // Handing a command to the broker and recording it handed are two commits: a crash between them makes
            // the dispatcher hand it again after the restart. The session (restored from its stored queue) already
            // holds it, so the second handoff is a no-op and the device gets the command once (docs/commands.md).
            return;
        }
        if (flow != null && flow.paused()) {
            // This delivery needs the client's acknowledgement, which a paused connection would not read.
            flow.release();
        }
        hold(commandId);
        if (connected && inflight.size() < sendWindow && queue.size() == 0) {
            send(message, qos, retain, 0);
        } else {
            // Only an offline persistent session's queue is written through; the online path stays in memory. A
            // closing connection's is written through too, so that a gateway publish completes only once it is
            // stored (storePending, when the close handler runs, skips what is stored already).
            long seq =
                    !connected && expirySeconds > 0 && persisted ? journal.append(clientId, message, qos, retain) : 0;
            queue.offer(message, qos, retain, seq, this::forgetStored);
        }
    }

    /** Counts a message entering the queue or the inflight window; a null id (ordinary publishes) counts nothing. */
    private void hold(String commandId) {
        if (commandId != null) {
            heldCommands.merge(commandId, 1, Integer::sum);
        }
    }

    /** Uncounts a message that left both for good: acknowledged, expired, failed or dropped on overflow. */
    private void release(BrokerMessage message) {
        String commandId = message.gatewayCommandId();
        if (commandId != null) {
            heldCommands.computeIfPresent(commandId, (id, copies) -> copies > 1 ? copies - 1 : null);
        }
    }

    /** The gateway command ids held in flight or queued, for tests. */
    Set<String> heldCommandIds() {
        return Collections.unmodifiableSet(heldCommands.keySet());
    }

    private void send(BrokerMessage message, int qos, boolean retain, long seq) {
        int id = allocatePacketId();
        inflight.put(id, new Inflight(message, qos, retain, seq));
        write(id, message, qos, retain, false);
    }

    private void complete(int packetId) {
        Inflight done = inflight.remove(packetId);
        if (done != null) {
            release(done.message);
            journal.remove(clientId, done.seq);
        }
    }

    private void write(int packetId, BrokerMessage message, int qos, boolean retain, boolean dup) {
        long now = clock.millis();
        if (message.isExpired(now)) {
            complete(packetId);
            return;
        }
        if (!isConnected()) {
            // Closing: it stays in flight, is stored when the session goes offline and resent to the next connection.
            return;
        }
        endpoint.publish(
                message.topic(),
                Buffer.buffer(message.payload()),
                MqttQoS.valueOf(qos),
                dup,
                retain,
                packetId,
                mqtt5 ? message.propertiesAt(now) : MqttProperties.NO_PROPERTIES);
    }

    private int allocatePacketId() {
        do {
            nextPacketId = nextPacketId % 65535 + 1;
        } while (inflight.containsKey(nextPacketId));
        return nextPacketId;
    }

    /** Fills the inflight window from the queue; resumes the paused publishers once it drained. */
    void drain() {
        while (isConnected() && inflight.size() < sendWindow && queue.size() > 0) {
            OutboundQueue.Queued next = queue.poll();
            send(next.message(), next.qos(), next.retain(), next.seq());
        }
        congestion.drained(queue);
    }

    /** Pauses the publishing connection while this connected session's queue is past its high watermark. */
    void holdIfCongested(PublisherFlow publisher) {
        if (isConnected()) {
            congestion.holdIfCongested(queue, publisher);
        }
    }

    /** A QoS 1 delivery was acknowledged: frees its inflight slot and sends the next queued message. */
    public void onPuback(int packetId) {
        Inflight done = inflight.get(packetId);
        if (done != null) {
            complete(packetId);
            acknowledged.accept(done.message);
            drain();
        }
    }

    /** First half of a QoS 2 delivery; a failed PUBREC (MQTT 5 reason code) ends the delivery instead. */
    public void onPubrec(int packetId, boolean failed) {
        Inflight f = inflight.get(packetId);
        if (f == null || failed) {
            complete(packetId);
            drain();
            return;
        }
        f.released = true;
        writeRelease(packetId);
    }

    /** Sends PUBREL; a closing connection gets none, the next one does when it attaches (MQTT section 4.4). */
    private void writeRelease(int packetId) {
        if (isConnected()) {
            endpoint.publishRelease(packetId);
        }
    }

    /** Last step of a QoS 2 delivery: frees the slot as a PUBACK does. */
    public void onPubcomp(int packetId) {
        onPuback(packetId);
    }

    /** Acknowledgements owed to this client, in the order its publishes arrived (MQTT requires that order). */
    public InboundAcks inboundAcks() {
        return inboundAcks;
    }

    /** Inbound QoS 1 publishes taken in, kept across reconnects so that a DUP resend is stored once. */
    public InboundRedeliveries redeliveries() {
        return redeliveries;
    }

    /** Inbound QoS 2 packet ids waiting for PUBREL, so that a resent PUBLISH is not taken twice. */
    public Map<Integer, Boolean> awaitingRelease() {
        return awaitingRelease;
    }

    /** MQTT 5 topic aliases this client set on this connection (they do not survive a reconnect). */
    public Map<Integer, String> topicAliases() {
        return topicAliases;
    }

    /** Subscriptions by {@link Broker#key}: what a persistent session restores on reconnect. */
    public Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    /** Drops queued and inflight messages (clean start). */
    void reset() {
        inflight.clear();
        queue.clear();
        heldCommands.clear();
        congestion.releaseAll();
        awaitingRelease.clear();
        redeliveries.clear();
        Iterator<Map.Entry<String, Subscription>> it = subscriptions.entrySet().iterator();
        while (it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /** The key of the session: a reconnect with the same id takes the session over. */
    public String clientId() {
        return clientId;
    }

    /** Who authenticated this session: the access policy checks every publish and subscribe against it. */
    public Principal principal() {
        return principal;
    }

    /** The current connection, or null while the session is offline (messages are queued then). */
    public MqttEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Whether a connection is attached (it may be closing already): a session is offline, and may expire, only once
     * its close handler detached it.
     */
    public boolean isOnline() {
        return endpoint != null;
    }

    /**
     * Whether the attached connection can be written to now: decides between sending and queueing. Vert.x refuses
     * every write ({@code IllegalStateException: Connection not accepted yet}) from the moment the endpoint is closed,
     * by a client's DISCONNECT or by us, but runs the close handler that detaches the session only later, when the
     * socket has closed; gateway publishes and other clients' messages routed in that window must not fail.
     */
    private boolean isConnected() {
        return endpoint != null && endpoint.isConnected();
    }

    boolean persisted() {
        return persisted;
    }

    void persisted(boolean stored) {
        this.persisted = stored;
    }

    /** The session expiry interval in seconds (MQTT 5 section 3.1.2.11.2); 0 = ends with the connection. */
    public long expirySeconds() {
        return expirySeconds;
    }

    /** A DISCONNECT's new Session Expiry Interval (MQTT 5 section 3.14.2.2.2), already capped by the broker. */
    public void changeExpiry(long seconds) {
        this.expirySeconds = seconds;
    }

    long expiresAtMillis() {
        return expiresAtMillis;
    }

    void expiresAtMillis(long deadline) {
        this.expiresAtMillis = deadline;
    }

    long expiryTimer() {
        return expiryTimer;
    }

    void expiryTimer(long timerId) {
        this.expiryTimer = timerId;
    }

    int queuedCount() {
        return queue.size();
    }

    int inflightCount() {
        return inflight.size();
    }

    private static final class Inflight {
        final BrokerMessage message;
        final int qos;
        final boolean retain;
        boolean released;
        /** Sequence number of the stored copy, 0 when not stored. */
        long seq;

        Inflight(BrokerMessage message, int qos, boolean retain, long seq) {
            this.message = message;
            this.qos = qos;
            this.retain = retain;
            this.seq = seq;
        }
    }
}
