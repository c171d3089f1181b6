package dev.mecgw.app.coap;

/**
 * State kept per CoAP peer (IP address and port): a token bucket for the per-peer rate limit and when the
 * peer was last heard from. CoAP over UDP has no connection, so a session lives until it idles out.
 * Thread-safe.
 */
final class CoapPeerSession {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long refilledAt;
    private volatile long lastActive;

    /**
     * @param ratePerSecond sustained requests per second
     * @param burst bucket size
     * @param now {@link System#nanoTime()} at creation
     */
    public CoapPeerSession(int ratePerSecond, int burst, long now) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = now;
        this.lastActive = now;
    }

    /** Takes one token; false when the peer exceeds its rate. */
    public synchronized boolean tryAcquire(long now) {
        lastActive = now;
        tokens = Math.min(burst, tokens + (now - refilledAt) * ratePerNano);
        refilledAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** {@link System#nanoTime()} of the last request. */
    public long lastActive() {
        return lastActive;
    }
}
