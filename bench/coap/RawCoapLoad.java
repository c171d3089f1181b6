import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain-CoAP load for bench/coap that costs the shared cores as little as possible: one thread, one
 * non-blocking UDP socket per client and a pre-encoded confirmable {@code POST /telemetry/{deviceId}} per
 * request slot of which only the message id, the token and the digits of the reading are rewritten. A slot
 * sends its next request when the 2.04 for the previous one arrives (piggybacked on the ACK, or separate:
 * then it is acknowledged); an unanswered request is retransmitted unchanged after 2 s like any CoAP
 * client does (RFC 7252 section 4.2), so the server's deduplicator answers it from its cache.
 */
final class RawCoapLoad implements Runnable {

    private static final int DIGITS = 13;
    private static final long RETRANSMIT_NANOS = 2_000_000_000L;

    private final Selector selector;
    private final List<Client> clients = new ArrayList<>();
    private final long[] latencies;
    private int latencyCount;
    private volatile boolean measuring;
    private volatile boolean stopping;
    volatile long acked;
    volatile long ackedTotal;
    volatile long failed;
    volatile long retransmitted;
    private int outstanding;

    /**
     * @param devices one device id per client
     * @param inflight requests each client keeps outstanding (at most 256)
     */
    RawCoapLoad(InetSocketAddress server, List<String> devices, int inflight, int maxSamples) throws IOException {
        this.selector = Selector.open();
        this.latencies = new long[maxSamples];
        long tsBase = System.currentTimeMillis();
        for (int c = 0; c < devices.size(); c++) {
            DatagramChannel channel = DatagramChannel.open();
            channel.configureBlocking(false);
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            channel.connect(server);
            Client client = new Client(channel, devices.get(c), inflight, tsBase, c);
            channel.register(selector, SelectionKey.OP_READ, client);
            clients.add(client);
        }
    }

    void measure(boolean on) {
        measuring = on;
    }

    void stop() {
        stopping = true;
        selector.wakeup();
    }

    /** Latencies in nanoseconds recorded while measuring; call after {@link #run()} returned. */
    long[] latencies() {
        return java.util.Arrays.copyOf(latencies, latencyCount);
    }

    @Override
    public void run() {
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        try {
            for (Client client : clients) {
                for (Slot slot : client.slots) {
                    sendNext(client, slot);
                }
            }
            long lastScan = System.nanoTime();
            while (outstanding > 0) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    Client client = (Client) key.attachment();
                    in.clear();
                    while (client.channel.receive(in) != null) {
                        in.flip();
                        onDatagram(client, in);
                        in.clear();
                    }
                }
                selector.selectedKeys().clear();
                long now = System.nanoTime();
                if (now - lastScan > 200_000_000L) {
                    retransmitOverdue(now);
                    lastScan = now;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void onDatagram(Client client, ByteBuffer in) throws IOException {
        if (in.remaining() < 4) {
            return;
        }
        int first = in.get(0) & 0xff;
        int type = (first >> 4) & 0x3;
        int tkl = first & 0xf;
        int code = in.get(1) & 0xff;
        int mid = in.getShort(2) & 0xffff;
        if (type == 0) {
            // Separate confirmable response: acknowledge it (empty ACK with its message id).
            client.channel.write(ByteBuffer.wrap(new byte[] {0x60, 0, (byte) (mid >> 8), (byte) mid}));
        }
        if (type == 3) {
            Slot slot = client.byMid(mid);
            if (slot != null) {
                failed++;
                sendNext(client, slot);
            }
            return;
        }
        if (code == 0 || tkl != 4 || in.remaining() < 8) {
            return;
        }
        Slot slot = client.slots[in.get(4) & 0xff];
        if (slot.busy && in.get(5) == slot.message[5] && in.get(6) == slot.message[6] && in.get(7) == slot.message[7]) {
            if (code == 0x44) {
                long latency = System.nanoTime() - slot.firstSent;
                ackedTotal++;
                if (measuring) {
                    acked++;
                    if (latencyCount < latencies.length) {
                        latencies[latencyCount++] = latency;
                    }
                }
            } else {
                failed++;
            }
            sendNext(client, slot);
        }
    }

    private void sendNext(Client client, Slot slot) throws IOException {
        if (slot.busy) {
            slot.busy = false;
            outstanding--;
        }
        if (stopping) {
            return;
        }
        client.prepare(slot);
        slot.firstSent = System.nanoTime();
        slot.sentAt = slot.firstSent;
        slot.busy = true;
        outstanding++;
        client.channel.write(ByteBuffer.wrap(slot.message));
    }

    private void retransmitOverdue(long now) throws IOException {
        for (Client client : clients) {
            for (Slot slot : client.slots) {
                if (slot.busy && now - slot.sentAt > RETRANSMIT_NANOS) {
                    if (stopping && now - slot.firstSent > 4 * RETRANSMIT_NANOS) {
                        failed++;
                        slot.busy = false;
                        outstanding--;
                        continue;
                    }
                    retransmitted++;
                    slot.sentAt = now;
                    client.channel.write(ByteBuffer.wrap(slot.message));
                }
            }
        }
    }

    /** One device: its socket, its message id counter and its pre-encoded request template. */
    private static final class Client {
        final DatagramChannel channel;
        final Slot[] slots;
        final long tsBase;
        final int tsAt;
        final int seqAt;
        int nextMid;
        long seq;

        Client(DatagramChannel channel, String device, int inflight, long tsBase, int index) {
            this.channel = channel;
            this.tsBase = tsBase;
            this.nextMid = index * 7919;
            byte[] id = device.getBytes(StandardCharsets.US_ASCII);
            String body = "{\"ts\":" + "0".repeat(DIGITS) + ",\"seq\":" + "0".repeat(DIGITS) + "}";
            byte[] payload = body.getBytes(StandardCharsets.US_ASCII);
            ByteBuffer b = ByteBuffer.allocate(64 + id.length + payload.length);
            b.put((byte) 0x44).put((byte) 0x02).putShort((short) 0).putInt(0);
            b.put((byte) 0xB9).put("telemetry".getBytes(StandardCharsets.US_ASCII));
            if (id.length < 13) {
                b.put((byte) id.length);
            } else {
                b.put((byte) 0x0D).put((byte) (id.length - 13));
            }
            b.put(id);
            b.put((byte) 0x11).put((byte) 50);
            b.put((byte) 0xFF);
            int payloadAt = b.position();
            b.put(payload);
            byte[] template = java.util.Arrays.copyOf(b.array(), b.position());
            this.tsAt = payloadAt + body.indexOf("\"ts\":") + 5;
            this.seqAt = payloadAt + body.indexOf("\"seq\":") + 6;
            this.slots = new Slot[inflight];
            for (int i = 0; i < inflight; i++) {
                slots[i] = new Slot(template.clone(), i);
            }
        }

        void prepare(Slot slot) {
            byte[] m = slot.message;
            int mid = nextMid++ & 0xffff;
            seq++;
            m[2] = (byte) (mid >> 8);
            m[3] = (byte) mid;
            m[4] = (byte) slot.index;
            m[5] = (byte) (seq >> 16);
            m[6] = (byte) (seq >> 8);
            m[7] = (byte) seq;
            digits(m, tsAt, tsBase + seq);
            digits(m, seqAt, seq);
            slot.mid = mid;
        }

        Slot byMid(int mid) {
            for (Slot slot : slots) {
                if (slot.busy && slot.mid == mid) {
                    return slot;
                }
            }
            return null;
        }

        /** Writes the number right-aligned; JSON forbids leading zeros but allows leading spaces. */
        private static void digits(byte[] m, int at, long value) {
            int i = at + DIGITS - 1;
            do {
                m[i--] = (byte) ('0' + value % 10);
                value /= 10;
            } while (value > 0);
            while (i >= at) {
                m[i--] = ' ';
            }
        }
    }

    /** One request in flight. */
    private static final class Slot {
        final byte[] message;
        final int index;
        int mid;
        boolean busy;
        long firstSent;
        long sentAt;

        Slot(byte[] message, int index) {
            this.message = message;
            this.index = index;
        }
    }
}
