package dev.mecgw.inference.camera;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A fake IP camera on 127.0.0.1 (free port) serving {@code multipart/x-mixed-replace} JPEG streams at
 * {@code /stream}: the first {@code failures} requests get 503, the first stream is dropped by the camera
 * after {@code framesBeforeDrop} frames, later streams run until the client goes away. Frames alternate with
 * and without Content-Length, as real cameras differ.
 */
public final class LocalMjpegCamera implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final int failures;
    private final int framesBeforeDrop;
    private final List<byte[]> jpegs;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();
    private final AtomicInteger clientsGone = new AtomicInteger();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    /**
     * @param jpegs the frames to serve in turn; see {@link #generatedJpegs(int)}
     */
    public LocalMjpegCamera(int failures, int framesBeforeDrop, List<byte[]> jpegs) throws IOException {
        this.failures = failures;
        this.framesBeforeDrop = framesBeforeDrop;
        this.jpegs = jpegs;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/stream", this::serve);
        server.start();
    }

    /** Small distinct JPEGs (64x48, one colour each). */
    public static List<byte[]> generatedJpegs(int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> {
                    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
                    Graphics2D g = image.createGraphics();
                    g.setColor(new Color(Color.HSBtoRGB(i / (float) count, 0.8f, 0.9f)));
                    g.fillRect(0, 0, 64, 48);
                    g.dispose();
                    return jpeg(image);
                })
                .toList();
    }

    /** Encodes an image as JPEG. */
    public static byte[] jpeg(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "jpg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stream's URL, with optional user info and query. */
    public URI url(String userInfo, String query) {
        return URI.create("http://" + (userInfo == null ? "" : userInfo + "@") + "127.0.0.1:"
                + server.getAddress().getPort() + "/stream" + (query == null ? "" : "?" + query));
    }

    /** Streams started (200 answered). */
    public int streams() {
        return streams.get();
    }

    /** Streams that ended because the client closed the connection. */
    public int clientsGone() {
        return clientsGone.get();
    }

    /** Authorization headers received, in order. */
    public List<String> authorizations() {
        return authorizations;
    }

    private void serve(HttpExchange exchange) throws IOException {
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        if (requests.incrementAndGet() <= failures) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
        }
        int stream = streams.incrementAndGet();
        exchange.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace; boundary=frame");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; stream > 1 || i < framesBeforeDrop; i++) {
                byte[] jpeg = jpegs.get(i % jpegs.size());
                String length = i % 2 == 0 ? "Content-Length: " + jpeg.length + "\r\n" : "";
                out.write(("--frame\r\nContent-Type: image/jpeg\r\n" + length + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(jpeg);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // A camera's frame interval (about 50 fps), not test synchronization.
                Thread.sleep(20);
            }
        } catch (IOException e) {
            clientsGone.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
