package dev.mecgw.app.mqtt.session;

/**
 * Stops and restarts reading MQTT packets from one connection, so that backpressure reaches the
 * publisher through TCP and its inflight window instead of a subscriber's queue dropping messages.
 * Called on the connection's event loop; both calls are idempotent.
 */
public interface InboundGate {

    /** A gate that never closes (where the pipeline hook is unavailable). */
    InboundGate OPEN = new InboundGate() {
        @Override
        public void pause() {
            // Nothing to pause: the connection keeps reading.
        }

        @Override
        public void resume() {
            // Never paused.
        }

        @Override
        public boolean outboundFull() {
            return false;
        }
    };

    /** Delivers no further packet after the current one until {@link #resume()}. */
    void pause();

    /** Delivers the packets held back, then reads again. */
    void resume();

    /**
     * Whether the connection's unsent output is over Netty's high water mark: its client reads slower than
     * the broker writes, and more QoS 0 messages would only pile up in memory.
     */
    boolean outboundFull();
}
