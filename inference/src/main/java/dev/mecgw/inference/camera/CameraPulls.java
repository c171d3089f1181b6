package dev.mecgw.inference.camera;

import dev.mecgw.inference.vision.CameraFrame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The set of cameras the gateway pulls MJPEG streams from, kept equal to what the device configuration says
 * by {@link #reconcile}: new cameras start, removed ones stop, a changed URL restarts, a stalled stream is
 * reconnected. Thread-safe.
 *
 * <p>Meters, tagged {@code camera}: {@code mecgw.inference.mjpeg.frames} (frames received),
 * {@code mecgw.inference.mjpeg.connections} (tag {@code outcome=connected|failed}); untagged gauge
 * {@code mecgw.inference.mjpeg.cameras}.
 */
public final class CameraPulls implements AutoCloseable {

    private final MjpegSettings settings;
    private final Consumer<CameraFrame> frames;
    private final MeterRegistry meters;
    private final HttpClient client;
    private final Map<String, HttpMjpegPuller> pullers = new HashMap<>();

    /**
     * @param frames where frames go, e.g. {@code VisionPipeline::submit}; called on the pull threads and
     *        must not block
     */
    public CameraPulls(MjpegSettings settings, Consumer<CameraFrame> frames, MeterRegistry meters) {
        this.settings = settings;
        this.frames = frames;
        this.meters = meters;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        Gauge.builder("mecgw.inference.mjpeg.cameras", this, p -> p.cameras().size())
                .description("Cameras whose MJPEG stream the gateway pulls")
                .register(meters);
    }

    /**
     * Starts, restarts and stops pulls so that exactly these cameras are pulled from these URLs.
     *
     * @param wanted camera (device) id to absolute {@code http} or {@code https} URL
     * @throws IllegalArgumentException for a URL of another scheme or without a host; nothing changes then
     */
    public synchronized void reconcile(Map<String, URI> wanted) {
        wanted.values().forEach(CameraPulls::check);
        for (String camera : List.copyOf(pullers.keySet())) {
            URI url = wanted.get(camera);
            if (url == null || !url.equals(pullers.get(camera).url())) {
                stop(camera);
            }
        }
        wanted.forEach((camera, url) -> {
            HttpMjpegPuller running = pullers.get(camera);
            if (running == null) {
                HttpMjpegPuller puller = new HttpMjpegPuller(camera, url, settings, client, frames, metrics(camera));
                pullers.put(camera, puller);
                puller.start();
            } else if (running.stalled()) {
                running.reconnect();
            }
        });
    }

    /** Ids of the cameras being pulled, sorted. */
    public synchronized Set<String> cameras() {
        return new TreeSet<>(pullers.keySet());
    }

    /** Whether a URL can be pulled: absolute http(s) with a host. */
    public static boolean pullable(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && url.getHost() != null;
    }

    private static void check(URI url) {
        if (!pullable(url)) {
            throw new IllegalArgumentException("Camera URLs must be absolute http or https URLs with a host");
        }
    }

    private void stop(String camera) {
        HttpMjpegPuller puller = pullers.remove(camera);
        puller.close();
        for (String meter : List.of("mecgw.inference.mjpeg.frames", "mecgw.inference.mjpeg.connections")) {
            meters.find(meter).tag("camera", camera).meters().forEach(meters::remove);
        }
    }

    private HttpMjpegPuller.PullMetrics metrics(String camera) {
        Counter received = Counter.builder("mecgw.inference.mjpeg.frames")
                .description("MJPEG frames received")
                .tag("camera", camera)
                .register(meters);
        return new HttpMjpegPuller.PullMetrics(
                received, connections(camera, "connected"), connections(camera, "failed"));
    }

    private Counter connections(String camera, String outcome) {
        return Counter.builder("mecgw.inference.mjpeg.connections")
                .description("MJPEG connection attempts by outcome")
                .tag("camera", camera)
                .tag("outcome", outcome)
                .register(meters);
    }

    /** Stops every pull. */
    @Override
    public synchronized void close() {
        List.copyOf(pullers.keySet()).forEach(this::stop);
    }
}
