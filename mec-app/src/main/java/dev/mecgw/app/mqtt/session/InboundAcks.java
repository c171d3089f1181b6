package dev.mecgw.app.mqtt.session;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * The line of acknowledgements a session owes its client for inbound QoS 1/2 publishes. They leave in arrival order
 * (MQTT 5 section 4.6) whatever order their commits finish in, and only to a connected client. Event loop only.
 */
public final class InboundAcks {

    private final ArrayDeque<Pending> line = new ArrayDeque<>();
    private final BooleanSupplier connected;

    /** @param connected whether the session's client can be written to now */
    InboundAcks(BooleanSupplier connected) {
        this.connected = connected;
    }

    /** Takes a place in the line for a publish whose acknowledgement must wait. */
    public Pending expect() {
        Pending ack = new Pending();
        line.addLast(ack);
        return ack;
    }

    /** Marks an acknowledgement ready and sends every ready one at the head of the line. */
    public void ready(Pending ack, Runnable send) {
        ack.send = send;
        while (!line.isEmpty() && line.peekFirst().send != null) {
            Runnable head = line.pollFirst().send;
            if (connected.getAsBoolean()) {
                head.run();
            }
        }
    }

    /** Acknowledgements still owed: the client's inbound window in use. */
    public int size() {
        return line.size();
    }

    /** A new connection starts with nothing owed (its client resends what was never acknowledged). */
    void clear() {
        line.clear();
    }

    /** An acknowledgement waiting for its turn. */
    public static final class Pending {
        private Runnable send;
    }
}
