package dev.mecgw.app.southbound.iec104;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A controlled station (outstation) for tests, written from IEC 60870-5-104 and 60870-5-101 clause 7 directly: it
 * encodes and parses octets itself and shares no code with the gateway's codec, so a misreading of the standard in
 * one shows up against the other. Scripted points answer the general interrogation; spontaneous changes are pushed
 * on demand; outputs answer single, double and set point commands with select-before-operate. Test hooks drop the
 * link, fall silent (to expire the station's t1) and send raw octets. Plays the outstation on a random loopback
 * port; all clients share its points. Thread-safe.
 */
final class Iec104TestOutstation implements AutoCloseable {

    /** A scripted point: type code 13 (float), 11 (scaled), 9 (normalized), 1 (single) or 3 (double). */
    record Point(int ioa, int type, double value, int quality) {}

    /** A command as received: type code, IOA, value, whether it was a select. */
    record ReceivedCommand(int type, int ioa, double value, boolean select) {}

    private final Vertx vertx = Vertx.vertx();
    private final int commonAddress;
    private final Map<Integer, Point> points = new ConcurrentHashMap<>();
    private final Set<Integer> outputs = ConcurrentHashMap.newKeySet();
    private final Set<Integer> sboOutputs = ConcurrentHashMap.newKeySet();
    private final Set<Integer> selected = ConcurrentHashMap.newKeySet();
    private final List<Conn> connections = new CopyOnWriteArrayList<>();
    private final List<ReceivedCommand> commands = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger interrogations = new AtomicInteger();
    private volatile boolean silent;
    private volatile boolean refuseSelects;
    private NetServer server;

    Iec104TestOutstation(int commonAddress) {
        this.commonAddress = commonAddress;
    }

    Iec104TestOutstation start() throws Exception {
        server = vertx.createNetServer().connectHandler(this::accept);
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return this;
    }

    int port() {
        return server.actualPort();
    }

    void point(int ioa, int type, double value, int quality) {
        points.put(ioa, new Point(ioa, type, value, quality));
    }

    /** An output commands may address; with {@code selectBeforeOperate} an execute needs a confirmed select first. */
    void output(int ioa, boolean selectBeforeOperate) {
        outputs.add(ioa);
        if (selectBeforeOperate) {
            sboOutputs.add(ioa);
        }
    }

    /** Sends M_ME_TF_1 (36) with COT 3 to every started connection. */
    void spontaneousFloat(int ioa, float value, int qds, Instant time) {
        ByteBuffer e = le(12);
        e.putFloat(value).put((byte) qds).put(cp56(time));
        broadcast(asdu(36, 3, false, ioa, e));
    }

    /** Sends M_SP_TB_1 (30) with COT 3. */
    void spontaneousSingle(int ioa, boolean on, int siqFlags, Instant time) {
        ByteBuffer e = le(8);
        e.put((byte) ((on ? 1 : 0) | siqFlags)).put(cp56(time));
        broadcast(asdu(30, 3, false, ioa, e));
    }

    /** Sends M_IT_TB_1 (37) with COT 3. */
    void spontaneousCounter(int ioa, int count, int flags, Instant time) {
        ByteBuffer e = le(12);
        e.putInt(count).put((byte) flags).put(cp56(time));
        broadcast(asdu(37, 3, false, ioa, e));
    }

    /** Writes raw octets (not APDU-framed by this peer) to every connection. */
    void sendRaw(byte[] octets) {
        for (Conn c : connections) {
            c.context.runOnContext(v -> c.socket.write(Buffer.buffer(octets)));
        }
    }

    /** Sends an ASDU of raw octets in a correctly numbered I frame. */
    void sendAsdu(byte[] asdu) {
        broadcast(asdu);
    }

    /** Closes every connection (link loss). */
    void dropConnections() {
        for (Conn c : connections) {
            c.socket.close();
        }
    }

    /** Stops answering anything (no STARTDT con, no acknowledgements): the station's t1 must fire. */
    void silent(boolean silent) {
        this.silent = silent;
    }

    /** Answers every select with a negative confirmation. */
    void refuseSelects(boolean refuse) {
        this.refuseSelects = refuse;
    }

    int accepted() {
        return accepted.get();
    }

    int interrogations() {
        return interrogations.get();
    }

    int startedConnections() {
        return (int) connections.stream().filter(c -> c.started).count();
    }

    List<ReceivedCommand> commands() {
        return List.copyOf(commands);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void accept(NetSocket socket) {
        accepted.incrementAndGet();
        Conn c = new Conn(socket);
        connections.add(c);
        socket.closeHandler(v -> connections.remove(c));
        socket.handler(c::feed);
    }

    private void broadcast(byte[] asdu) {
        for (Conn c : connections) {
            if (c.started) {
                c.context.runOnContext(v -> c.sendI(asdu));
            }
        }
    }

    /** One TCP connection, on the server's event loop. */
    private final class Conn {
        final NetSocket socket;
        final Context context = vertx.getOrCreateContext();
        final ByteArrayOutputStream in = new ByteArrayOutputStream();
        volatile boolean started;
        int sendSeq;
        int recvSeq;

        Conn(NetSocket socket) {
            this.socket = socket;
        }

        void feed(Buffer data) {
            in.writeBytes(data.getBytes());
            byte[] all = in.toByteArray();
            int at = 0;
            while (all.length - at >= 2 && all.length - at >= 2 + (all[at + 1] & 0xFF)) {
                int len = all[at + 1] & 0xFF;
                byte[] apdu = new byte[len + 2];
                System.arraycopy(all, at, apdu, 0, apdu.length);
                at += apdu.length;
                if (!silent) {
                    handle(apdu);
                }
            }
            in.reset();
            in.write(all, at, all.length - at);
        }

        void handle(byte[] apdu) {
            int c1 = apdu[2] & 0xFF;
            if ((c1 & 0x01) == 0) {
                recvSeq = ((c1 >>> 1) | (apdu[3] & 0xFF) << 7) + 1 & 0x7FFF;
                byte[] asdu = new byte[apdu.length - 6];
                System.arraycopy(apdu, 6, asdu, 0, asdu.length);
                // Acknowledge at once (w = 1): keeps the peer simple and the station's k window open.
                socket.write(Buffer.buffer(new byte[] {0x68, 4, 1, 0, (byte) (recvSeq << 1), (byte) (recvSeq >>> 7)}));
                onAsdu(asdu);
            } else if (c1 == 0x07) {
                started = true;
                socket.write(Buffer.buffer(new byte[] {0x68, 4, 0x0B, 0, 0, 0}));
            } else if (c1 == 0x43) {
                socket.write(Buffer.buffer(new byte[] {0x68, 4, (byte) 0x83, 0, 0, 0}));
            } else if (c1 == 0x13) {
                started = false;
                socket.write(Buffer.buffer(new byte[] {0x68, 4, 0x23, 0, 0, 0}));
            }
        }

        void onAsdu(byte[] a) {
            ByteBuffer b = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
            int type = b.get(0) & 0xFF;
            int ca = b.getShort(4) & 0xFFFF;
            int ioa = (b.get(6) & 0xFF) | (b.get(7) & 0xFF) << 8 | (b.get(8) & 0xFF) << 16;
            if (ca != commonAddress) {
                sendI(mirror(a, 46, true));
                return;
            }
            switch (type) {
                case 100 -> interrogation(a);
                case 103 -> sendI(mirror(a, 7, false));
                case 45, 46, 50 -> command(a, type, ioa, b);
                default -> sendI(mirror(a, 44, true));
            }
        }

        void interrogation(byte[] a) {
            interrogations.incrementAndGet();
            sendI(mirror(a, 7, false));
            List<Point> all = new ArrayList<>(points.values());
            all.sort((x, y) -> Integer.compare(x.ioa(), y.ioa()));
            for (Point p : all) {
                sendI(asdu(p.type(), 20, false, p.ioa(), element(p)));
            }
            sendI(mirror(a, 10, false));
        }

        void command(byte[] a, int type, int ioa, ByteBuffer b) {
            int qualifierAt = type == 50 ? 13 : 9;
            boolean select = (b.get(qualifierAt) & 0x80) != 0;
            double value = type == 50 ? b.getFloat(9) : (b.get(9) & (type == 45 ? 0x01 : 0x03));
            commands.add(new ReceivedCommand(type, ioa, value, select));
            if (!outputs.contains(ioa)) {
                sendI(mirror(a, 47, true));
            } else if (select) {
                if (!refuseSelects) {
                    selected.add(ioa);
                }
                sendI(mirror(a, 7, refuseSelects));
            } else if (!selected.remove(ioa) && sboOutputs.contains(ioa)) {
                // Clause 7.3.2 of 101: an execute without a preceding select is refused for SBO outputs.
                sendI(mirror(a, 7, true));
            } else {
                sendI(mirror(a, 7, false));
                sendI(mirror(a, 10, false));
            }
        }

        void sendI(byte[] asdu) {
            ByteBuffer f = le(6 + asdu.length);
            f.put((byte) 0x68).put((byte) (4 + asdu.length));
            f.putShort((short) (sendSeq << 1)).putShort((short) (recvSeq << 1)).put(asdu);
            sendSeq = sendSeq + 1 & 0x7FFF;
            socket.write(Buffer.buffer(f.array()));
        }
    }

    private byte[] asdu(int type, int cot, boolean negative, int ioa, ByteBuffer element) {
        byte[] e = new byte[element.position()];
        element.flip().get(e);
        ByteBuffer b = le(9 + e.length);
        b.put((byte) type)
                .put((byte) 1)
                .put((byte) (cot | (negative ? 0x40 : 0)))
                .put((byte) 0);
        b.putShort((short) commonAddress);
        b.put((byte) ioa).put((byte) (ioa >>> 8)).put((byte) (ioa >>> 16));
        b.put(e);
        return b.array();
    }

    private static byte[] mirror(byte[] a, int cot, boolean negative) {
        byte[] m = a.clone();
        m[2] = (byte) (cot | (negative ? 0x40 : 0));
        return m;
    }

    private static ByteBuffer element(Point p) {
        ByteBuffer e = le(5);
        switch (p.type()) {
            case 13 -> e.putFloat((float) p.value()).put((byte) p.quality());
            case 11 -> e.putShort((short) p.value()).put((byte) p.quality());
            case 9 -> e.putShort((short) Math.round(p.value() * 32768)).put((byte) p.quality());
            case 1, 3 -> e.put((byte) ((int) p.value() | p.quality()));
            default -> throw new IllegalArgumentException("type " + p.type());
        }
        return e;
    }

    /** CP56Time2a in UTC, written from clause 7.2.6.18 of 101. */
    static byte[] cp56(Instant t) {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC);
        int ms = z.getSecond() * 1000 + z.getNano() / 1_000_000;
        return new byte[] {
            (byte) ms,
            (byte) (ms >>> 8),
            (byte) z.getMinute(),
            (byte) z.getHour(),
            (byte) (z.getDayOfMonth() | z.getDayOfWeek().getValue() << 5),
            (byte) z.getMonthValue(),
            (byte) (z.getYear() % 100)
        };
    }

    private static ByteBuffer le(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }
}
