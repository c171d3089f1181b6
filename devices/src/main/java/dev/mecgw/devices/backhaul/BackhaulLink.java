package dev.mecgw.devices.backhaul;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;

/**
 * A site's backhaul as a TCP link that can be cut: it accepts on a loopback port and splices each connection to one
 * upstream address (e.g. the edge listener of the cloud's Kafka). {@link #cut()} drops every open connection and
 * refuses new ones until {@link #restore()}, as a failed uplink would; the far side sees resets, not a clean close
 * of the protocol. Thread-safe; one thread accepts, two threads carry each connection.
 */
public final class BackhaulLink implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final ExecutorService threads = Executors.newCachedThreadPool(BasicThreadFactory.builder()
            .namingPattern("backhaul-%d")
            .daemon(true)
            .build());
    private final List<Socket> open = new ArrayList<>();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    private boolean cut;
    private volatile long bytesPerSecond;

    private BackhaulLink(ServerSocket server, InetSocketAddress upstream) {
        this.server = server;
        this.upstream = upstream;
    }

    /**
     * @param port loopback port to accept on; 0 picks a free one
     * @param upstream where each connection goes
     * @return the link, up and accepting
     * @throws IOException when the port cannot be bound
     */
    public static BackhaulLink open(int port, InetSocketAddress upstream) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        BackhaulLink link = new BackhaulLink(server, upstream);
        link.threads.execute(link::accept);
        return link;
    }

    /** @return the loopback port clients connect to */
    public int port() {
        return server.getLocalPort();
    }

    /** Drops every connection now and refuses new ones until {@link #restore()}. */
    public void cut() {
        List<Socket> dropped;
        synchronized (this) {
            cut = true;
            dropped = new ArrayList<>(open);
            open.clear();
        }
        dropped.forEach(BackhaulLink::reset);
    }

    /**
     * Limits each connection's direction to a rate, as a thin radio link would (0, the default, is unlimited); a
     * slow link keeps a transfer in flight long enough for a test to cut it midway (issue 18 fleet test).
     */
    public void limit(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Lets new connections through again. */
    public synchronized void restore() {
        cut = false;
    }

    /** @return whether the link is cut */
    public synchronized boolean isCut() {
        return cut;
    }

    /** @return bytes carried towards the upstream since the link opened */
    public long bytesUp() {
        return bytesUp.get();
    }

    /** @return bytes carried back from the upstream since the link opened */
    public long bytesDown() {
        return bytesDown.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            threads.execute(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket remote = new Socket();
        try {
            remote.connect(upstream, 10_000);
        } catch (IOException e) {
            // The upstream refused: the client sees its connection dropped, as behind a dead uplink.
            reset(client);
            reset(remote);
            return;
        }
        // Registered under the same lock as cut(), so that no connection slips through a cut.
        synchronized (this) {
            if (cut) {
                reset(client);
                reset(remote);
                return;
            }
            open.add(client);
            open.add(remote);
        }
        threads.execute(() -> carry(client, remote, bytesUp));
        threads.execute(() -> carry(remote, client, bytesDown));
    }

    private void carry(Socket from, Socket to, AtomicLong counter) {
        byte[] buffer = new byte[32 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer, 0, chunk()); n >= 0; n = in.read(buffer, 0, chunk())) {
                out.write(buffer, 0, n);
                counter.addAndGet(n);
                long rate = bytesPerSecond;
                if (rate > 0) {
                    // Pacing a byte stream: the time these bytes take on the simulated link.
                    Thread.sleep(n * 1000L / rate);
                }
            }
        } catch (IOException e) {
            // cut, or one side went away: both ends are closed below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                open.remove(from);
                open.remove(to);
            }
            reset(from);
            reset(to);
        }
    }

    /** Bytes read at once: small on a limited link, so that its pace is even. */
    private int chunk() {
        return bytesPerSecond > 0 ? 4096 : 32 * 1024;
    }

    /** Closes with RST (linger 0), so that the peer learns of the cut at once instead of after a timeout. */
    private static void reset(Socket socket) {
        try {
            if (!socket.isClosed() && socket.isConnected()) {
                socket.setSoLinger(true, 0);
            }
        } catch (SocketException e) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        cut();
        threads.shutdownNow();
    }
}
