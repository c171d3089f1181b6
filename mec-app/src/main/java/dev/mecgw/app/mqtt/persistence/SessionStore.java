package dev.mecgw.app.mqtt.persistence;

import dev.mecgw.app.acl.Principal;
import java.util.List;

/**
 * Durable persistent sessions (subscriptions and offline queues), so they survive a restart, kill -9
 * included. Blocking; called from the broker's store thread, and once at start-up.
 */
public interface SessionStore {

    /** Every unexpired session with its queued messages in sequence order; deletes the expired ones. */
    List<StoredSession> loadAll();

    /**
     * Stores or replaces a session and its subscriptions.
     *
     * @param expiresAtMillis epoch millis when the session expires, or 0 while its client is connected
     */
    void save(
            String clientId,
            Principal principal,
            List<Subscription> subscriptions,
            long expirySeconds,
            long expiresAtMillis);

    /** Stores a message queued for a session, under the session's next sequence number. */
    void append(String clientId, StoredMessage message);

    /** Forgets a message once the client acknowledged it (or it was dropped or expired). */
    void remove(String clientId, long seq);

    /** Forgets a session and its queue (clean start, expiry, takeover by another device). */
    void forget(String clientId);

    /** A session as stored. */
    record StoredSession(
            String clientId,
            Principal principal,
            List<Subscription> subscriptions,
            long expirySeconds,
            long expiresAtMillis,
            List<StoredMessage> messages) {}

    /** A queued delivery as stored, with the QoS and retain flag it will be sent with. */
    record StoredMessage(long seq, BrokerMessage message, int qos, boolean retain) {}
}
