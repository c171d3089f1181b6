package dev.mecgw.app.coap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The sessions of all peers, bounded (issue 15 item 5). Lookups are one hash lookup; the tables are kept in
 * last-used order, so idle sessions are dropped from the eldest end without scanning. One source IP address holds
 * at most {@code maxPerAddress} sessions, so one host cycling its ports cannot fill the table. Authenticated (DTLS)
 * peers come first: when the table is full a new one evicts the least recently used unauthenticated session,
 * while a new unauthenticated peer can only evict another unauthenticated one (a spoofed-source flood churns
 * itself) and is refused when there is none. Thread-safe.
 */
final class CoapPeerSessions {

    private final LinkedHashMap<InetSocketAddress, CoapPeerSession> authenticated =
            new LinkedHashMap<>(256, 0.75f, true);
    private final LinkedHashMap<InetSocketAddress, CoapPeerSession> unauthenticated =
            new LinkedHashMap<>(256, 0.75f, true);
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private final int rate;
    private final int burst;
    private final int maxSessions;
    private final int maxPerAddress;
    private final long idleNanos;
    private final LongSupplier nanoClock;
    private final LongAdder refusedPerAddress = new LongAdder();
    private final LongAdder refusedFull = new LongAdder();
    private final LongAdder evicted = new LongAdder();
    private final LongAdder refusedRate = new LongAdder();

    public CoapPeerSessions(int rate, int burst, int maxSessions, long idleNanos) {
        this(rate, burst, maxSessions, Integer.MAX_VALUE, idleNanos);
    }

    /** @param maxPerAddress most sessions of one source IP address, any port */
    public CoapPeerSessions(int rate, int burst, int maxSessions, int maxPerAddress, long idleNanos) {
        this(rate, burst, maxSessions, maxPerAddress, idleNanos, System::nanoTime);
    }

    /** @param nanoClock {@link System#nanoTime()} or a test clock: the buckets refill by it */
    CoapPeerSessions(int rate, int burst, int maxSessions, int maxPerAddress, long idleNanos, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.rate = rate;
        this.burst = burst;
        this.maxSessions = maxSessions;
        this.maxPerAddress = maxPerAddress;
        this.idleNanos = idleNanos;
    }

    /** Counts one request of an authenticated peer; see {@link #admit(InetSocketAddress, boolean)}. */
    public boolean admit(InetSocketAddress peer) {
        return admit(peer, true);
    }

    /**
     * Counts one request of a peer.
     *
     * @param authenticated whether the peer is authenticated by DTLS
     * @return false when the peer is over its rate, its address holds its share of sessions, or the table is full
     */
    public boolean admit(InetSocketAddress peer, boolean authenticated) {
        long now = nanoClock.getAsLong();
        CoapPeerSession session;
        synchronized (this) {
            LinkedHashMap<InetSocketAddress, CoapPeerSession> table =
                    authenticated ? this.authenticated : unauthenticated;
            session = table.get(peer);
            if (session == null) {
                session = open(peer, table, authenticated, now);
                if (session == null) {
                    return false;
                }
            }
        }
        if (session.tryAcquire(now)) {
            return true;
        }
        refusedRate.increment();
        return false;
    }

    /** Drops sessions idle longer than the idle time, by this table's clock. */
    public void sweep() {
        sweep(nanoClock.getAsLong());
    }

    /** Drops sessions idle longer than the idle time. */
    public synchronized void sweep(long now) {
        expire(authenticated, now);
        expire(unauthenticated, now);
    }

    /** Number of sessions held. */
    public synchronized int size() {
        return authenticated.size() + unauthenticated.size();
    }

    /** Number of sessions of unauthenticated peers held. */
    synchronized int unauthenticatedSize() {
        return unauthenticated.size();
    }

    /** New peers refused because their address held its share. */
    long refusedPerAddress() {
        return refusedPerAddress.sum();
    }

    /** New peers refused because the table was full. */
    long refusedFull() {
        return refusedFull.sum();
    }

    /** Requests refused because their peer was over its rate (an unauthenticated one gets only an RST: count it). */
    long refusedRate() {
        return refusedRate.sum();
    }

    /** Unauthenticated sessions evicted to make room. */
    long evicted() {
        return evicted.sum();
    }

    private CoapPeerSession open(
            InetSocketAddress peer,
            LinkedHashMap<InetSocketAddress, CoapPeerSession> table,
            boolean authenticated,
            long now) {
        sweep(now);
        int held = perAddress.getOrDefault(peer.getAddress(), 0);
        if (held >= maxPerAddress) {
            refusedPerAddress.increment();
            return null;
        }
        if (size() >= maxSessions) {
            if (unauthenticated.isEmpty()) {
                refusedFull.increment();
                return null;
            }
            Iterator<InetSocketAddress> eldest = unauthenticated.keySet().iterator();
            release(eldest.next());
            eldest.remove();
            evicted.increment();
        }
        CoapPeerSession session = new CoapPeerSession(rate, burst, now);
        table.put(peer, session);
        perAddress.merge(peer.getAddress(), 1, Integer::sum);
        return session;
    }

    private void expire(LinkedHashMap<InetSocketAddress, CoapPeerSession> table, long now) {
        for (Iterator<Map.Entry<InetSocketAddress, CoapPeerSession>> it =
                        table.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<InetSocketAddress, CoapPeerSession> eldest = it.next();
            if (now - eldest.getValue().lastActive() <= idleNanos) {
                return;
            }
            it.remove();
            release(eldest.getKey());
        }
    }

    private void release(InetSocketAddress peer) {
        perAddress.computeIfPresent(peer.getAddress(), (a, n) -> n <= 1 ? null : n - 1);
    }
}
