package dev.mecgw.devices.camera;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mecgw.devices.DeviceCounters;
import dev.mecgw.devices.SimulatedDevice;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;

/**
 * An IP camera serving MJPEG ({@code multipart/x-mixed-replace}) at {@code http://host:port/video.mjpg}, as the
 * gateway pulls it for a device of type {@code camera} whose {@code mjpeg-url} label names it. Each viewer gets
 * its own stream at the configured frame rate; frames come from {@link SceneRenderer}.
 */
public final class MjpegCamera implements SimulatedDevice {

    /** Path of the stream. */
    public static final String PATH = "/video.mjpg";

    private static final String BOUNDARY = "mecgwframe";

    private final String id;
    private final HttpServer server;
    private final ExecutorService viewers = Executors.newCachedThreadPool(BasicThreadFactory.builder()
            .namingPattern("mjpeg-viewer-%d")
            .daemon(true)
            .build());
    private final Duration interval;
    private final List<BufferedImage> photos;
    private final Clock clock;
    private final DeviceCounters counters = new DeviceCounters();
    private volatile boolean running = true;

    /**
     * @param id device id the camera is registered under
     * @param bind address to listen on (port 0 = a free one)
     * @param fps frames per second per viewer
     * @param images folder of PNG/JPEG photos to show, or null for the synthetic scene
     * @param clock time for the overlay
     */
    public MjpegCamera(String id, InetSocketAddress bind, double fps, Path images, Clock clock) throws IOException {
        this.id = id;
        this.interval = Duration.ofMillis((long) (1000 / fps));
        this.photos = load(images);
        this.clock = clock;
        this.server = HttpServer.create(bind, 8);
        server.createContext(PATH, this::stream);
        server.setExecutor(viewers);
    }

    /** @return the URL to register as the camera's {@code mjpeg-url} label */
    public String url() {
        InetSocketAddress address = server.getAddress();
        return "http://" + address.getHostString() + ":" + address.getPort() + PATH;
    }

    /** @return whether frames are photos (true) or the synthetic scene */
    public boolean showsPhotos() {
        return !photos.isEmpty();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String protocol() {
        return "mjpeg";
    }

    @Override
    public DeviceCounters counters() {
        return counters;
    }

    @Override
    public void start() {
        server.start();
        counters.online.set(true);
    }

    private void stream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace; boundary=" + BOUNDARY);
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        SceneRenderer renderer = new SceneRenderer(640, 480, photos);
        try (OutputStream out = exchange.getResponseBody()) {
            while (running) {
                byte[] jpeg = renderer.next(clock.instant());
                String head =
                        "--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n";
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(jpeg);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                counters.sent.incrementAndGet();
                Thread.sleep(interval.toMillis());
            }
        } catch (IOException e) {
            // The viewer went away (the gateway reconnects on its own).
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<BufferedImage> load(Path folder) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        if (folder == null || !Files.isDirectory(folder)) {
            return images;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
                if (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg")) {
                    BufferedImage image = ImageIO.read(file.toFile());
                    if (image != null) {
                        images.add(toRgb(image));
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return images;
    }

    private static BufferedImage toRgb(BufferedImage image) {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.createGraphics().drawImage(image, 0, 0, null);
        return rgb;
    }

    @Override
    public void close() {
        running = false;
        counters.online.set(false);
        server.stop(0);
        viewers.shutdownNow();
    }
}
