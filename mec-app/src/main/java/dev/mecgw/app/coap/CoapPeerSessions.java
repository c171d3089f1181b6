package dev.mecgw.app.coap;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions of all peers, bounded: idle sessions are swept and, when the table is full, new peers are
 * refused rather than growing the heap under a spoofed-source flood. Thread-safe.
 */
final class CoapPeerSessions {

    private final Map<InetSocketAddress, CoapPeerSession> sessions = new ConcurrentHashMap<>();
    private final int rate;
    private final int burst;
    private final int maxSessions;
    private final long idleNanos;

    public CoapPeerSessions(int rate, int burst, int maxSessions, long idleNanos) {
        this.rate = rate;
        this.burst = burst;
        this.maxSessions = maxSessions;
        this.idleNanos = idleNanos;
    }

    /** Counts one request of a peer; false when the peer is over its rate or the table is full. */
    public boolean admit(InetSocketAddress peer) {
        long now = System.nanoTime();
        CoapPeerSession session = sessions.get(peer);
        if (session == null) {
            if (sessions.size() >= maxSessions) {
                sweep(now);
                if (sessions.size() >= maxSessions) {
                    return false;
                }
            }
            session = sessions.computeIfAbsent(peer, p -> new CoapPeerSession(rate, burst, now));
        }
        return session.tryAcquire(now);
    }

    /** Drops sessions idle longer than the idle time. */
    public void sweep(long now) {
        sessions.values().removeIf(s -> now - s.lastActive() > idleNanos);
    }

    /** Number of sessions held. */
    public int size() {
        return sessions.size();
    }
}
