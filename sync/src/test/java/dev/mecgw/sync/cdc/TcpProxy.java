package dev.mecgw.sync.cdc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on 127.0.0.1 that can cut the link: {@link #cut()} closes every open connection and refuses new
 * ones until {@link #restore()}, like a backhaul that drops; {@link #blackHole()} keeps connections open but carries
 * no byte either way until {@link #restore()}, like a link that silently drops packets.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger cuts = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong bytesUp = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean down;
    private volatile boolean stalled;

    private TcpProxy(ServerSocket server, int targetPort) {
        this.server = server;
        this.targetPort = targetPort;
    }

    /** Listens on a free port and forwards to {@code targetPort} on 127.0.0.1. */
    public static TcpProxy start(int targetPort) throws IOException {
        TcpProxy proxy = new TcpProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort);
        Thread acceptor = new Thread(proxy::acceptLoop, "tcp-proxy-" + targetPort);
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    /** @return the port clients connect to */
    public int port() {
        return server.getLocalPort();
    }

    /** Drops every connection and refuses new ones. */
    public synchronized void cut() {
        down = true;
        cuts.incrementAndGet();
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    /**
     * Stops carrying bytes on every connection, open or new (they are still accepted), without closing any: clients
     * notice only through their own timeouts.
     */
    public void blackHole() {
        stalled = true;
    }

    /** Lets connections through again; bytes held by {@link #blackHole()} flow on. */
    public void restore() {
        down = false;
        synchronized (open) {
            stalled = false;
            open.notifyAll();
        }
    }

    private void awaitFlowing() throws InterruptedException {
        synchronized (open) {
            while (stalled) {
                open.wait();
            }
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                // Checked and registered under the cut's lock, so a connection cannot slip past a cut.
                synchronized (this) {
                    if (down) {
                        closeQuietly(client);
                        closeQuietly(upstream);
                        continue;
                    }
                    open.add(client);
                    open.add(upstream);
                }
                pump(client, upstream, bytesUp);
                pump(upstream, client, new java.util.concurrent.atomic.AtomicLong());
            } catch (IOException e) {
                // server closed, or the target refused: the client sees a dropped connection
            }
        }
    }

    /** @return bytes forwarded from clients to the target since start (what the backhaul carried upstream) */
    public long bytesUp() {
        return bytesUp.get();
    }

    private void pump(Socket from, Socket to, java.util.concurrent.atomic.AtomicLong counter) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[64 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int read;
                        while ((read = in.read(buffer)) >= 0) {
                            awaitFlowing();
                            out.write(buffer, 0, read);
                            counter.addAndGet(read);
                        }
                    } catch (IOException e) {
                        // the link was cut or a side closed
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        restore();
        cut();
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
