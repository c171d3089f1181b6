package dev.mecgw.app.mqtt;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.mqtt.persistence.SessionStore;
import dev.mecgw.app.mqtt.persistence.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SessionStore} in memory that outlives the broker using it, so that a test can stop a broker and start
 * another on the same store, as a gateway restart does with PostgreSQL. Expired sessions are the broker's to drop.
 */
public final class MemorySessionStore implements SessionStore {

    private final Map<String, StoredSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, TreeMap<Long, StoredMessage>> queues = new ConcurrentHashMap<>();

    @Override
    public List<StoredSession> loadAll() {
        List<StoredSession> all = new ArrayList<>();
        for (StoredSession s : sessions.values()) {
            TreeMap<Long, StoredMessage> queue = queues.getOrDefault(s.clientId(), new TreeMap<>());
            all.add(new StoredSession(
                    s.clientId(),
                    s.principal(),
                    s.subscriptions(),
                    s.expirySeconds(),
                    s.expiresAtMillis(),
                    List.copyOf(queue.values())));
        }
        return all;
    }

    @Override
    public void save(
            String clientId,
            Principal principal,
            List<Subscription> subscriptions,
            long expirySeconds,
            long expiresAtMillis) {
        sessions.put(
                clientId,
                new StoredSession(
                        clientId, principal, List.copyOf(subscriptions), expirySeconds, expiresAtMillis, List.of()));
    }

    @Override
    public void append(String clientId, StoredMessage message) {
        queues.computeIfAbsent(clientId, k -> new TreeMap<>()).put(message.seq(), message);
    }

    @Override
    public void remove(String clientId, long seq) {
        TreeMap<Long, StoredMessage> queue = queues.get(clientId);
        if (queue != null) {
            queue.remove(seq);
        }
    }

    @Override
    public void forget(String clientId) {
        sessions.remove(clientId);
        queues.remove(clientId);
    }

    /** The stored expiry deadline of a client id's session, 0 while connected, -1 when none is stored. */
    long expiresAt(String clientId) {
        StoredSession s = sessions.get(clientId);
        return s == null ? -1 : s.expiresAtMillis();
    }

    /** Whether a session of this client id is stored. */
    boolean holds(String clientId) {
        return sessions.containsKey(clientId);
    }
}
