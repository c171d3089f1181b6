package dev.mecgw.app.mqtt.session;

import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.mqtt.persistence.SessionStore;
import dev.mecgw.app.mqtt.persistence.StoreWrites;
import dev.mecgw.app.mqtt.persistence.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Mirrors persistent sessions into the {@link SessionStore} from the broker's event loop: numbers queued
 * messages and hands every write to the ordered store thread, so the event loop never blocks on JDBC.
 */
class SessionJournal {

    private final SessionStore store;
    private final StoreWrites writes;
    private long lastSeq;
    /** Collects the appends of the routing step running in {@link #tracked}, null otherwise. */
    private List<CompletableFuture<Void>> tracking;

    SessionJournal(SessionStore store, StoreWrites writes) {
        this.store = store;
        this.writes = writes;
    }

    /** Continues numbering after the highest sequence restored at start-up. */
    void seed(long restoredMaxSeq) {
        lastSeq = Math.max(lastSeq, restoredMaxSeq);
    }

    /** Writes a session row (subscriptions, expiry); {@code expiresAtMillis} 0 while connected. */
    void save(MqttSession session, long expiresAtMillis) {
        session.persisted(true);
        List<Subscription> subscriptions = List.copyOf(session.subscriptions().values());
        String clientId = session.clientId();
        dev.mecgw.app.acl.Principal principal = session.principal();
        long expiry = session.expirySeconds();
        run(() -> store.save(clientId, principal, subscriptions, expiry, expiresAtMillis));
    }

    /** Writes a queued message; returns its sequence number. */
    long append(String clientId, BrokerMessage message, int qos, boolean retain) {
        long seq = ++lastSeq;
        SessionStore.StoredMessage stored = new SessionStore.StoredMessage(seq, message, qos, retain);
        CompletableFuture<Void> written = run(() -> store.append(clientId, stored));
        if (tracking != null) {
            tracking.add(written);
        }
        return seq;
    }

    /**
     * Runs a routing step and tells when the messages it queued are stored.
     *
     * @param routing routes a message; returns its own pending write (the retained copy), if any
     * @return completes once every message appended during {@code routing}, and its own write, are
     *     written; fails if one is not
     */
    CompletableFuture<Void> tracked(Supplier<CompletableFuture<Void>> routing) {
        List<CompletableFuture<Void>> appended = new ArrayList<>();
        tracking = appended;
        try {
            appended.add(routing.get());
        } finally {
            tracking = null;
        }
        return CompletableFuture.allOf(appended.toArray(CompletableFuture[]::new));
    }

    /** Deletes a stored message (0 means it never was stored). */
    void remove(String clientId, long seq) {
        if (seq > 0) {
            run(() -> store.remove(clientId, seq));
        }
    }

    void forget(MqttSession session) {
        if (session.persisted()) {
            session.persisted(false);
            String clientId = session.clientId();
            run(() -> store.forget(clientId));
        }
    }

    private CompletableFuture<Void> run(Runnable write) {
        return writes.submit(write, "MQTT session state");
    }
}
