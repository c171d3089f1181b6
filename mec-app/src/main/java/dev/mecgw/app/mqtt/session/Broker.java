package dev.mecgw.app.mqtt.session;

import dev.mecgw.app.acl.DeviceTopic;
import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.mqtt.delivery.OutboundQueue;
import dev.mecgw.app.mqtt.delivery.SubscriptionTrie;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.mqtt.persistence.RetainedMessages;
import dev.mecgw.app.mqtt.persistence.RetainedStore;
import dev.mecgw.app.mqtt.persistence.SessionStore;
import dev.mecgw.app.mqtt.persistence.StoreWrites;
import dev.mecgw.app.mqtt.persistence.Subscription;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Message routing core: sessions by client id, the subscription trie and retained messages. Confined
 * to one event-loop context, so it needs no locks; other threads enter through {@link #execute}.
 */
public class Broker {

    /** What {@link #publish} returns for a message with nothing to store. */
    private static final CompletableFuture<Void> STORED = CompletableFuture.completedFuture(null);

    private final Vertx vertx;
    /** Time for session expiry (injected so tests can let sessions expire without waiting). */
    private final Clock clock;

    private final Context context;
    private final Limits config;
    private final BrokerMetrics metrics;
    private final Map<String, MqttSession> sessions = new HashMap<>();
    /** Sessions per device id, for {@link Limits#maxSessionsPerDevice()}; anonymous sessions are not counted. */
    private final Map<String, Integer> sessionsPerDevice = new HashMap<>();

    private final SubscriptionTrie trie = new SubscriptionTrie();
    private final RetainedMessages retained;
    private final Map<MqttSession, Integer> delivery = new HashMap<>();
    /** Per target of the message being published: the Subscription Identifiers of its matching subscriptions. */
    private final Map<MqttSession, List<Integer>> deliveryIds = new HashMap<>();

    private final SessionStore sessionStore;
    private final StoreWrites writes;
    private final SessionJournal journal;
    private final DelayedWills wills;
    private volatile Consumer<BrokerMessage> deviceAcks = message -> {};
    private volatile Consumer<BrokerMessage> willListener = message -> {};

    /**
     * The bounds the broker holds every session to (from {@code mecgw.mqtt}).
     *
     * @param maxQueuedMessages most messages queued for one client
     * @param maxQueuedBytes most payload bytes queued for one client
     * @param maxPublisherPause longest a publisher is paused for a slow subscriber
     * @param maxSessionExpiry cap on a session's expiry interval
     * @param maxSessionsPerDevice most sessions (connected or kept for a reconnect) of one device
     * @param maxSessions most sessions altogether
     * @param retained the bounds on retained messages
     */
    public record Limits(
            int maxQueuedMessages,
            long maxQueuedBytes,
            Duration maxPublisherPause,
            Duration maxSessionExpiry,
            int maxSessionsPerDevice,
            int maxSessions,
            RetainedMessages.Quota retained) {}

    /** @param storeExecutor the one ordered thread for session and retained-message writes */
    public Broker(
            Vertx vertx,
            Context context,
            Limits config,
            RetainedStore retainedStore,
            SessionStore sessionStore,
            Executor storeExecutor,
            BrokerMetrics metrics,
            Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
        this.context = context;
        this.config = config;
        this.sessionStore = sessionStore;
        this.metrics = metrics;
        this.writes = new StoreWrites(storeExecutor);
        this.retained = new RetainedMessages(retainedStore, writes, config.retained());
        this.journal = new SessionJournal(sessionStore, writes);
        this.wills = new DelayedWills(vertx, this::publishWill);
    }

    /** The broker's clock, for message expiry (MQTT 5 section 3.3.2.3.3) and session expiry. */
    public Clock clock() {
        return clock;
    }

    /**
     * Restores the stored persistent sessions (subscriptions and queues); blocking, call once before
     * listening. Their expiry runs again from the stored deadline, or in full for sessions that were
     * connected when the gateway stopped.
     */
    public void loadSessions() {
        long now = clock.millis();
        long maxSeq = 0;
        for (SessionStore.StoredSession stored : sessionStore.loadAll()) {
            MqttSession session = newSession(stored.clientId(), stored.principal());
            session.restore(stored);
            session.subscriptions().values().forEach(trie::add);
            for (SessionStore.StoredMessage m : stored.messages()) {
                maxSeq = Math.max(maxSeq, m.seq());
            }
            long deadline = stored.expiresAtMillis() == 0
                    ? now
                            + Math.min(
                                    stored.expirySeconds() * 1000,
                                    config.maxSessionExpiry().toMillis())
                    : stored.expiresAtMillis();
            session.expiresAtMillis(deadline);
            // Timers must be set on the broker's context, so that expiry runs confined like everything else.
            execute(() -> scheduleExpiry(session, deadline - clock.millis()));
        }
        journal.seed(maxSeq);
        metrics.sessions.set(sessions.size());
        metrics.subscriptions.set(trie.size());
    }

    private MqttSession newSession(String clientId, Principal principal) {
        MqttSession session = new MqttSession(
                clientId,
                principal,
                new OutboundQueue(config.maxQueuedMessages(), config.maxQueuedBytes()),
                new SubscriberCongestion(vertx, config.maxPublisherPause().toMillis(), metrics),
                metrics,
                journal,
                message -> deviceAcks.accept(message),
                clock);
        sessions.put(clientId, session);
        if (principal.deviceId() != null) {
            sessionsPerDevice.merge(principal.deviceId(), 1, Integer::sum);
        }
        return session;
    }

    /** Loads persisted retained messages; blocking, call once before listening. */
    public void loadRetained() {
        retained.load();
        metrics.retained(retained.count(), retained.bytes());
    }

    /**
     * Registers who is told of each outbound message a client acknowledged (PUBACK for QoS 1, PUBCOMP for QoS 2):
     * command delivery (issue 17). Called on the broker's event loop; must not block.
     */
    public void onDeviceAck(Consumer<BrokerMessage> listener) {
        this.deviceAcks = listener;
    }

    /**
     * Registers who is told of each will the broker publishes, before it is relayed: a Sparkplug NDEATH (issue 21.3).
     * Wills are checked against the access policy when sent. Called on the broker's event loop; must not block.
     */
    public void onWill(Consumer<BrokerMessage> listener) {
        this.willListener = listener;
    }

    private void publishWill(BrokerMessage will) {
        willListener.accept(will);
        publish(will, null);
    }

    /** Runs a task on the broker's context (from REST resources or ingest threads). */
    public void execute(Runnable task) {
        context.runOnContext(v -> task.run());
    }

    /**
     * Publishes a gateway-originated message (commands, twin desired); thread-safe.
     *
     * @return completes once the message is routed and every copy queued for an offline persistent
     *     session is stored (so it survives kill -9); fails when such a copy could not be stored
     */
    public CompletionStage<Void> publishFromGateway(BrokerMessage message) {
        CompletableFuture<Void> durable = new CompletableFuture<>();
        execute(() -> {
            try {
                journal.tracked(() -> publish(message, null)).whenComplete((v, e) -> {
                    if (e == null) {
                        durable.complete(null);
                    } else {
                        durable.completeExceptionally(e);
                    }
                });
            } catch (RuntimeException e) {
                durable.completeExceptionally(e);
            }
        });
        return durable;
    }

    /**
     * Opens or resumes the session of a client id.
     *
     * @return the session and whether it existed (MQTT "session present")
     */
    public SessionOpening open(String clientId, Principal principal, boolean cleanStart) {
        MqttSession existing = sessions.get(clientId);
        if (existing != null && hasExpired(existing)) {
            // Past its expiry even if the timer has not run yet: its queue and subscriptions are gone.
            discard(existing);
            existing = null;
        }
        if (existing != null && existing.expiryTimer() >= 0) {
            vertx.cancelTimer(existing.expiryTimer());
            existing.expiryTimer(-1);
        }
        if (existing != null && !cleanStart && samePrincipal(existing.principal(), principal)) {
            // Reconnected in time: a delayed will is not sent (MQTT 5 section 3.1.3.2.2).
            wills.cancel(existing);
        }
        if (existing != null && (cleanStart || !samePrincipal(existing.principal(), principal))) {
            discard(existing);
            existing = null;
        }
        if (existing != null) {
            return new SessionOpening(existing, true);
        }
        MqttSession session = newSession(clientId, principal);
        metrics.sessions.set(sessions.size());
        return new SessionOpening(session, false);
    }

    /**
     * Issue 15 item 7: whether opening a session for this client id would create one beyond the bounds. Taking
     * over or resuming the client id's own session never does; a new one is refused (not made room for by ending
     * the device's oldest, which may hold commands already accepted for it).
     *
     * @return the refusal (QUOTA_EXCEEDED: CONNACK 0x97, 0x03 on MQTT 3.1.1), or empty when it may open
     */
    public Optional<GatewayException> sessionRefusal(String clientId, Principal principal) {
        if (sessions.containsKey(clientId)) {
            return Optional.empty();
        }
        String reason = null;
        if (sessions.size() >= config.maxSessions()) {
            reason = "The gateway holds its most sessions";
        } else if (principal.deviceId() != null
                && sessionsPerDevice.getOrDefault(principal.deviceId(), 0) >= config.maxSessionsPerDevice()) {
            reason = "The device holds its most sessions";
        }
        if (reason == null) {
            return Optional.empty();
        }
        metrics.refusedSessionQuota();
        return Optional.of(new GatewayException(ErrorKind.QUOTA_EXCEEDED, reason));
    }

    /**
     * Issue 15 item 7: whether a retained message of {@code owner} fits the retained-message bounds; counts a
     * refusal in {@code mecgw.mqtt.retained.refused}.
     *
     * @param owner the publishing device id, or the client id of an anonymous client
     */
    public boolean mayRetain(String topic, int payloadBytes, String owner) {
        RetainedMessages.Refusal refusal = retained.refusal(topic, payloadBytes, owner);
        if (refusal != null) {
            metrics.refusedRetained(refusal.tag);
        }
        return refusal == null;
    }

    private boolean hasExpired(MqttSession session) {
        return !session.isOnline() && session.expiresAtMillis() > 0 && clock.millis() >= session.expiresAtMillis();
    }

    private static boolean samePrincipal(Principal a, Principal b) {
        return Objects.equals(a.deviceId(), b.deviceId());
    }

    /** The currently registered session of a client id, if any. */
    public MqttSession session(String clientId) {
        return sessions.get(clientId);
    }

    /** The sessions of a device, online or not (issue 15.9: cut off when it is deleted or re-keyed). */
    public List<MqttSession> sessionsOf(String deviceId) {
        return sessions.values().stream()
                .filter(s -> Objects.equals(s.principal().deviceId(), deviceId))
                .toList();
    }

    /** A connection was accepted: a persistent session's stored expiry waits until it disconnects. */
    public void attached(MqttSession session) {
        session.expiresAtMillis(0);
        if (session.expirySeconds() > 0) {
            journal.save(session, 0);
        }
    }

    /**
     * A connection ended: forget a clean session now, a persistent one when its expiry passes.
     *
     * @param will the will to publish (built when sent), or null for none
     * @param willDelaySeconds MQTT 5 Will Delay Interval; the will waits that long, or until the session ends
     */
    public void closed(MqttSession session, Supplier<BrokerMessage> will, long willDelaySeconds) {
        session.detach();
        if (sessions.get(session.clientId()) != session) {
            return;
        }
        if (will != null && willDelaySeconds > 0 && session.expirySeconds() > 0) {
            wills.schedule(session, will, willDelaySeconds * 1000);
        } else if (will != null) {
            publishWill(will.get());
        }
        if (session.expirySeconds() <= 0) {
            discard(session);
            return;
        }
        long delayMs = Math.min(
                session.expirySeconds() * 1000, config.maxSessionExpiry().toMillis());
        long deadline = clock.millis() + delayMs;
        session.expiresAtMillis(deadline);
        journal.save(session, deadline);
        session.storePending();
        scheduleExpiry(session, delayMs);
    }

    private void scheduleExpiry(MqttSession session, long delayMs) {
        session.expiryTimer(vertx.setTimer(Math.max(1, delayMs), id -> {
            if (!session.isOnline() && sessions.get(session.clientId()) == session) {
                discard(session);
            }
        }));
    }

    private void discard(MqttSession session) {
        for (Subscription s : session.subscriptions().values()) {
            trie.remove(s.clientId(), s.filter(), s.shareGroup());
        }
        session.reset();
        journal.forget(session);
        if (sessions.remove(session.clientId(), session) && session.principal().deviceId() != null) {
            sessionsPerDevice.computeIfPresent(session.principal().deviceId(), (d, n) -> n > 1 ? n - 1 : null);
        }
        metrics.sessions.set(sessions.size());
        metrics.subscriptions.set(trie.size());
        wills.sessionEnded(session);
    }

    /**
     * Adds or replaces a subscription.
     *
     * @return true when the session already had a subscription on this filter
     */
    public boolean subscribe(MqttSession session, Subscription subscription) {
        String key = key(subscription.shareGroup(), subscription.filter());
        boolean existed = session.subscriptions().put(key, subscription) != null;
        trie.add(subscription);
        metrics.subscriptions.set(trie.size());
        if (session.expirySeconds() > 0) {
            journal.save(session, 0);
        }
        return existed;
    }

    /** Sends the retained messages a new subscription matches, as its retain-handling option asks. */
    public void sendRetained(MqttSession session, Subscription subscription, int retainHandling, boolean existed) {
        // Retain handling 0: always send; 1: only for a new subscription; 2: never. Never for shared ones.
        if (subscription.shareGroup() != null || retainHandling == 2 || (retainHandling == 1 && existed)) {
            return;
        }
        for (BrokerMessage m : retained.matching(subscription.filter(), clock.millis())) {
            if (visible(subscription, m.topic())) {
                session.deliver(
                        subscription.subscriptionId() > 0
                                ? m.withSubscriptionIds(List.of(subscription.subscriptionId()))
                                : m,
                        Math.min(m.qos(), subscription.qos()),
                        true);
            }
        }
    }

    /** Ends one subscription and forgets it in the stored session too; false when there was none (UNSUBACK 0x11). */
    public boolean unsubscribe(MqttSession session, String shareGroup, String filter) {
        Subscription removed = session.subscriptions().remove(key(shareGroup, filter));
        if (removed == null) {
            return false;
        }
        trie.remove(session.clientId(), filter, shareGroup);
        metrics.subscriptions.set(trie.size());
        if (session.expirySeconds() > 0) {
            journal.save(session, 0);
        }
        return true;
    }

    /**
     * The one key a subscription is stored under, so that a shared and a plain subscription to one filter do not collide.
     */
    public static String key(String shareGroup, String filter) {
        return shareGroup == null ? filter : "$share/" + shareGroup + "/" + filter;
    }

    /**
     * Routes a message to every matching session (once per session, at the highest granted QoS).
     *
     * @param publisher the publishing connection's flow, paused while a subscriber it fed is congested;
     *     null for gateway messages and wills
     * @return completes once a retained message is stored (at once for others), so that its PUBACK can
     *     wait for that; fails when it could not be stored
     */
    public CompletableFuture<Void> publish(BrokerMessage message, PublisherFlow publisher) {
        return publish(message, publisher, null);
    }

    /**
     * As {@link #publish(BrokerMessage, PublisherFlow)}, for a client's message: a retained one is counted against
     * {@code owner}, and routed without being retained when it no longer fits (checked before routing with
     * {@link #mayRetain}, so this only happens when others filled the quota meanwhile).
     *
     * @param owner the publishing device id, or the client id of an anonymous client; null for gateway messages
     */
    public CompletableFuture<Void> publish(BrokerMessage message, PublisherFlow publisher, String owner) {
        CompletableFuture<Void> stored = STORED;
        if (message.retain() && (owner == null || mayRetain(message.topic(), message.payload().length, owner))) {
            stored = retained.retain(message, owner);
            metrics.retained(retained.count(), retained.bytes());
        }
        trie.match(message.topic(), s -> {
            if ((s.noLocal() && s.clientId().equals(message.publisherClientId())) || !visible(s, message.topic())) {
                return;
            }
            MqttSession target = sessions.get(s.clientId());
            if (target != null) {
                delivery.merge(target, s.retainAsPublished() ? s.qos() | 4 : s.qos(), Math::max);
                if (s.subscriptionId() > 0) {
                    deliveryIds.computeIfAbsent(target, k -> new ArrayList<>()).add(s.subscriptionId());
                }
            }
        });
        try {
            for (Map.Entry<MqttSession, Integer> e : delivery.entrySet()) {
                int granted = e.getValue() & 3;
                boolean retainFlag = (e.getValue() & 4) != 0 && message.retain();
                List<Integer> ids = deliveryIds.get(e.getKey());
                e.getKey()
                        .deliver(
                                ids == null ? message : message.withSubscriptionIds(ids),
                                Math.min(message.qos(), granted),
                                retainFlag);
                if (publisher != null) {
                    e.getKey().holdIfCongested(publisher);
                }
            }
        } finally {
            delivery.clear();
            deliveryIds.clear();
        }
        return stored;
    }

    private static boolean visible(Subscription s, String topic) {
        return !s.hideDeviceTopics() || !DeviceTopic.isBelowRoot(topic);
    }

    /** Result of {@link #open}. */
    public record SessionOpening(MqttSession session, boolean present) {}
}
