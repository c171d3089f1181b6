package dev.mecgw.devices.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;

/**
 * The UDP counterpart of {@link dev.mecgw.devices.backhaul.BackhaulLink} for CoAP/DTLS devices: a loopback port
 * that relays each client's datagrams to the gateway from a socket of its own (so the gateway sees one peer per
 * device) and the answers back. {@link #cut()} drops every datagram both ways until {@link #restore()}, as a lost
 * radio link does; {@link #pace} spaces the answers, a thin link that keeps a download in flight long enough to be
 * cut midway. Thread-safe; one thread receives from clients, one per client from the gateway.
 */
final class UdpLink implements AutoCloseable {

    private final DatagramSocket front;
    private final InetSocketAddress upstream;
    private final Map<SocketAddress, DatagramSocket> peers = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(BasicThreadFactory.builder()
            .namingPattern("udp-link-%d")
            .daemon(true)
            .build());
    private volatile boolean cut;
    private volatile long paceMillis;

    private UdpLink(DatagramSocket front, InetSocketAddress upstream) {
        this.front = front;
        this.upstream = upstream;
    }

    static UdpLink open(InetSocketAddress upstream) throws IOException {
        UdpLink link =
                new UdpLink(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), upstream);
        link.threads.execute(link::relayUp);
        return link;
    }

    int port() {
        return front.getLocalPort();
    }

    void cut() {
        cut = true;
    }

    void restore() {
        cut = false;
    }

    /** Waits this long before relaying each answer to a client. */
    void pace(Duration perDatagram) {
        paceMillis = perDatagram.toMillis();
    }

    private void relayUp() {
        byte[] buffer = new byte[65_535];
        while (!front.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                front.receive(packet);
                if (cut) {
                    continue;
                }
                SocketAddress client = packet.getSocketAddress();
                DatagramSocket peer = peers.computeIfAbsent(client, this::peer);
                peer.send(new DatagramPacket(packet.getData(), packet.getOffset(), packet.getLength(), upstream));
            } catch (IOException | IllegalStateException e) {
                // closed, or one datagram not relayed: UDP loses datagrams anyway
            }
        }
    }

    private DatagramSocket peer(SocketAddress client) {
        try {
            DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            threads.execute(() -> relayDown(peer, client));
            return peer;
        } catch (IOException e) {
            throw new IllegalStateException("no relay socket for " + client, e);
        }
    }

    private void relayDown(DatagramSocket peer, SocketAddress client) {
        byte[] buffer = new byte[65_535];
        while (!peer.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                peer.receive(packet);
                long pace = paceMillis;
                if (pace > 0) {
                    // Pacing the simulated link: the time a datagram takes on it.
                    Thread.sleep(pace);
                }
                if (!cut) {
                    front.send(new DatagramPacket(packet.getData(), packet.getOffset(), packet.getLength(), client));
                }
            } catch (IOException e) {
                // closed, or one datagram lost
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        front.close();
        peers.values().forEach(DatagramSocket::close);
        threads.shutdownNow();
    }
}
