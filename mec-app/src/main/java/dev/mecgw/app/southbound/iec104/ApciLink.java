package dev.mecgw.app.southbound.iec104;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The controlling station's half of one IEC 60870-5-104 connection (clause 5): sequence numbers, the k and w
 * windows, the t1/t2/t3 timers, STARTDT and TESTFR. It owns no socket: frames go out through a {@link Transport}
 * and come in through {@link #receive(byte[])}. Single-threaded: call it, and let its timers fire, on one thread
 * (the connection's event loop).
 */
public final class ApciLink {

    private static final int MODULO = 32768;

    /** Where the link writes frames and how it drops the connection. */
    public interface Transport {
        void write(byte[] frame);

        /** Closes the connection; the link is unusable afterwards. */
        void close(String reason);
    }

    /** What the link reports upwards. */
    public interface Listener {
        /** STARTDT was confirmed: data may flow. */
        void onStarted();

        /**
         * A received ASDU, in order. The link acknowledges it to the outstation (S frame or N(R)) only after
         * {@link ApciLink#release()} was called for it: once its readings are durable, so that an outstation which
         * keeps unacknowledged data across a reconnect sends again what the gateway had not stored.
         */
        void onAsdu(byte[] asdu);
    }

    private enum State {
        CONNECTED,
        STARTING,
        STARTED,
        CLOSED
    }

    private final LinkTiming timing;
    private final LinkTimers timers;
    private final Transport transport;
    private final Listener listener;
    private final int maxQueuedBytes;
    private final Deque<byte[]> queue = new ArrayDeque<>();
    private final Deque<Long> sentAt = new ArrayDeque<>();
    private State state = State.CONNECTED;
    private int sendSeq;
    private int ackedSeq;
    private int recvSeq;
    private int unreleased;
    private int lastAckSent;
    private int queuedBytes;
    private long lastReceived;
    private Runnable t1;
    private Runnable uT1;
    private Runnable t2;
    private Runnable t3;

    /**
     * @param maxQueuedBytes ASDU octets that may wait for the k window; more is refused by {@link #send(byte[])}
     */
    public ApciLink(LinkTiming timing, LinkTimers timers, Transport transport, Listener listener, int maxQueuedBytes) {
        this.timing = timing;
        this.timers = timers;
        this.transport = transport;
        this.listener = listener;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** Sends STARTDT act; call once the TCP connection is up. */
    public void start() {
        state = State.STARTING;
        lastReceived = timers.nowMillis();
        sendUnnumbered(Apdu.Function.STARTDT_ACT);
        armT3(timing.t3().toMillis());
    }

    /**
     * Queues an ASDU; it goes out when STARTDT is confirmed and the k window has room.
     *
     * @return false when the link is closed or the queue is full (bounded in bytes)
     */
    public boolean send(byte[] asdu) {
        if (state == State.CLOSED || queuedBytes + asdu.length > maxQueuedBytes) {
            return false;
        }
        queue.add(asdu);
        queuedBytes += asdu.length;
        flush();
        return true;
    }

    /** Whether STARTDT was confirmed and the connection is open. */
    public boolean started() {
        return state == State.STARTED;
    }

    /** I frames sent and not yet acknowledged. */
    int outstanding() {
        return sentAt.size();
    }

    /**
     * Handles one received APDU.
     *
     * @param frame one whole APDU, as {@link ApduFramer} cuts it
     */
    public void receive(byte[] frame) {
        if (state == State.CLOSED) {
            return;
        }
        lastReceived = timers.nowMillis();
        Apdu apdu;
        try {
            apdu = ApciCodec.decode(frame);
        } catch (Iec104FrameException e) {
            close("malformed APDU: " + e.getMessage());
            return;
        }
        if (apdu instanceof Apdu.Information i) {
            receiveInformation(i);
        } else if (apdu instanceof Apdu.Supervisory s) {
            acknowledge(s.recvSeq());
        } else {
            receiveUnnumbered(((Apdu.Unnumbered) apdu).function());
        }
    }

    /** Closes the connection and stops the timers; idempotent. */
    public void close(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        cancel(t1);
        cancel(uT1);
        cancel(t2);
        cancel(t3);
        queue.clear();
        queuedBytes = 0;
        transport.close(reason);
    }

    private void receiveInformation(Apdu.Information i) {
        if (state != State.STARTED) {
            close("I frame before STARTDT con");
            return;
        }
        if (i.sendSeq() != recvSeq) {
            // Clause 5.5: a sequence error means frames were lost; only a new connection recovers.
            close("sequence error: N(S) " + i.sendSeq() + ", expected " + recvSeq);
            return;
        }
        recvSeq = (recvSeq + 1) % MODULO;
        if (!acknowledge(i.recvSeq())) {
            return;
        }
        unreleased++;
        listener.onAsdu(i.asdu());
    }

    /**
     * Marks the oldest unreleased received ASDU as handled (its readings committed); it may now be acknowledged. Call
     * once per {@link Listener#onAsdu}, in order, on the link's thread.
     */
    public void release() {
        if (state == State.CLOSED || unreleased == 0) {
            return;
        }
        unreleased--;
        int pending = Math.floorMod(ackable() - lastAckSent, MODULO);
        if (pending >= timing.w()) {
            sendSupervisory();
        } else if (pending > 0 && t2 == null) {
            t2 = timers.schedule(timing.t2(), () -> {
                t2 = null;
                if (state != State.CLOSED && ackable() != lastAckSent) {
                    sendSupervisory();
                }
            });
        }
    }

    /** N(R) to send: every frame up to it is received and released. */
    private int ackable() {
        return Math.floorMod(recvSeq - unreleased, MODULO);
    }

    private void receiveUnnumbered(Apdu.Function function) {
        switch (function) {
            case STARTDT_CON -> {
                if (state != State.STARTING) {
                    close("unexpected STARTDT con");
                    return;
                }
                state = State.STARTED;
                uT1 = cancel(uT1);
                listener.onStarted();
                flush();
            }
            case TESTFR_ACT -> transport.write(ApciCodec.encode(new Apdu.Unnumbered(Apdu.Function.TESTFR_CON)));
            case TESTFR_CON, STOPDT_CON -> uT1 = cancel(uT1);
            // STARTDT/STOPDT act come from a controlling station; an outstation that sends them is confused.
            default -> close("unexpected " + function);
        }
    }

    private boolean acknowledge(int nr) {
        int newlyAcked = Math.floorMod(nr - ackedSeq, MODULO);
        if (newlyAcked > sentAt.size()) {
            close("N(R) " + nr + " acknowledges frames never sent");
            return false;
        }
        for (int n = 0; n < newlyAcked; n++) {
            sentAt.poll();
        }
        ackedSeq = nr;
        if (newlyAcked > 0) {
            t1 = cancel(t1);
            armT1();
            flush();
        }
        return true;
    }

    private void flush() {
        while (state == State.STARTED && !queue.isEmpty() && sentAt.size() < timing.k()) {
            byte[] asdu = queue.poll();
            queuedBytes -= asdu.length;
            lastAckSent = ackable();
            transport.write(ApciCodec.encode(new Apdu.Information(sendSeq, lastAckSent, asdu)));
            sendSeq = (sendSeq + 1) % MODULO;
            sentAt.add(timers.nowMillis());
            // The I frame carried N(R): released frames are acknowledged.
            t2 = cancel(t2);
            armT1();
        }
    }

    private void armT1() {
        if (t1 != null || sentAt.isEmpty()) {
            return;
        }
        long left = sentAt.peek() + timing.t1().toMillis() - timers.nowMillis();
        t1 = timers.schedule(java.time.Duration.ofMillis(Math.max(0, left)), () -> {
            t1 = null;
            close("t1 expired: I frame not acknowledged");
        });
    }

    private void armT3(long delayMillis) {
        t3 = timers.schedule(java.time.Duration.ofMillis(delayMillis), () -> {
            if (state == State.CLOSED) {
                return;
            }
            long idle = timers.nowMillis() - lastReceived;
            long t3Millis = timing.t3().toMillis();
            if (idle >= t3Millis && uT1 == null) {
                sendUnnumbered(Apdu.Function.TESTFR_ACT);
                armT3(t3Millis);
            } else {
                armT3(Math.max(1, t3Millis - idle));
            }
        });
    }

    private void sendSupervisory() {
        lastAckSent = ackable();
        t2 = cancel(t2);
        transport.write(ApciCodec.encode(new Apdu.Supervisory(lastAckSent)));
    }

    private void sendUnnumbered(Apdu.Function function) {
        transport.write(ApciCodec.encode(new Apdu.Unnumbered(function)));
        uT1 = cancel(uT1);
        uT1 = timers.schedule(timing.t1(), () -> {
            uT1 = null;
            close("t1 expired: " + function + " not confirmed");
        });
    }

    private static Runnable cancel(Runnable handle) {
        if (handle != null) {
            handle.run();
        }
        return null;
    }
}
