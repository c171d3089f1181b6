package dev.mecgw.inference.camera;

import dev.mecgw.inference.vision.CameraFrame;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Consumer;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.jboss.logging.Logger;

/**
 * Pulls one camera's MJPEG-over-HTTP stream on its own thread and hands every JPEG part to the vision
 * pipeline, whose newest-frame-per-camera policy absorbs a camera faster than inference. Reconnects with
 * exponential backoff after a failure or the end of the stream, until {@link #close()}. Credentials in the
 * URL's user info are sent as HTTP Basic authorization and never logged.
 */
final class HttpMjpegPuller implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HttpMjpegPuller.class);

    private final String cameraId;
    private final URI url;
    private final MjpegSettings settings;
    private final HttpClient client;
    private final Consumer<CameraFrame> frames;
    private final PullMetrics metrics;
    private final Thread thread;
    private volatile boolean closed;
    private volatile InputStream body;
    private volatile long lastFrameNanos = System.nanoTime();

    /** Meters of one camera's pull. */
    record PullMetrics(Counter received, Counter connected, Counter failed) {}

    HttpMjpegPuller(
            String cameraId,
            URI url,
            MjpegSettings settings,
            HttpClient client,
            Consumer<CameraFrame> frames,
            PullMetrics metrics) {
        this.cameraId = cameraId;
        this.url = url;
        this.settings = settings;
        this.client = client;
        this.frames = frames;
        this.metrics = metrics;
        this.thread = BasicThreadFactory.builder()
                .namingPattern("mjpeg-" + cameraId.replace("%", "%%"))
                .daemon(true)
                .build()
                .newThread(this::loop);
    }

    URI url() {
        return url;
    }

    void start() {
        LOG.infof("Camera %s: pulling MJPEG from %s", cameraId, redacted(url));
        thread.start();
    }

    /** Whether a connected stream has delivered nothing for longer than the stall timeout. */
    boolean stalled() {
        return body != null
                && System.nanoTime() - lastFrameNanos > settings.stallTimeout().toNanos();
    }

    /** Drops the current connection; the pull thread reconnects after the usual backoff. */
    void reconnect() {
        closeBody();
        thread.interrupt();
    }

    private void loop() {
        long backoff = settings.backoffMin().toMillis();
        boolean failing = false;
        while (!closed) {
            long framesBefore = (long) metrics.received().count();
            String failure = pullOnce();
            if (closed) {
                break;
            }
            boolean delivered = metrics.received().count() > framesBefore;
            if (delivered) {
                backoff = settings.backoffMin().toMillis();
            }
            if (failure != null) {
                metrics.failed().increment();
                // One warning per outage; repeats while the camera stays down go to debug.
                if (!failing || delivered) {
                    LOG.warnf(
                            "Camera %s: MJPEG stream from %s failed (%s); retrying with backoff up to %s",
                            cameraId, redacted(url), failure, settings.backoffMax());
                } else {
                    LOG.debugf("Camera %s: MJPEG stream still failing (%s)", cameraId, failure);
                }
            }
            failing = failure != null;
            pause(backoff);
            backoff = Math.min(settings.backoffMax().toMillis(), Math.max(1, backoff * 2));
        }
    }

    /** One connection: returns null when the stream ended normally, else why it failed. */
    private String pullOnce() {
        try {
            HttpResponse<InputStream> response = client.send(request(), HttpResponse.BodyHandlers.ofInputStream());
            body = response.body();
            if (closed) {
                return null;
            }
            if (response.statusCode() != 200) {
                return "HTTP " + response.statusCode();
            }
            String contentType = response.headers().firstValue("Content-Type").orElse(null);
            String boundary = MjpegParts.boundary(contentType);
            if (boundary == null) {
                return "not a multipart stream: Content-Type " + contentType;
            }
            metrics.connected().increment();
            LOG.debugf("Camera %s: MJPEG stream connected", cameraId);
            lastFrameNanos = System.nanoTime();
            MjpegParts parts = new MjpegParts(body, boundary, settings.maxFrameBytes());
            for (byte[] part = parts.next(); part != null && !closed; part = parts.next()) {
                lastFrameNanos = System.nanoTime();
                metrics.received().increment();
                frames.accept(new CameraFrame(cameraId, part, Instant.now()));
            }
            return null;
        } catch (IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            // close() or reconnect(): the loop decides.
            Thread.interrupted();
            return closed ? null : "dropped by the gateway";
        } catch (IllegalArgumentException e) {
            return "invalid request: " + e.getMessage();
        } finally {
            closeBody();
        }
    }

    private HttpRequest request() {
        HttpRequest.Builder request = HttpRequest.newBuilder(withoutUserInfo(url))
                .GET()
                .timeout(settings.connectTimeout())
                .header("Accept", "multipart/x-mixed-replace, */*");
        if (url.getRawUserInfo() != null) {
            String userInfo = URLDecoder.decode(url.getRawUserInfo().replace("+", "%2B"), StandardCharsets.UTF_8);
            request.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        return request.build();
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // Interrupted by close() (the loop ends) or reconnect() (retry now).
            Thread.interrupted();
        }
    }

    private void closeBody() {
        InputStream current = body;
        body = null;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                LOG.debugf("Camera %s: closing the stream failed: %s", cameraId, e.getMessage());
            }
        }
    }

    /** Stops pulling: drops the connection and ends the thread. */
    @Override
    public void close() {
        closed = true;
        closeBody();
        thread.interrupt();
        LOG.infof("Camera %s: stopped pulling MJPEG from %s", cameraId, redacted(url));
    }

    /** Waits for the pull thread to end, for tests and orderly shutdown. */
    boolean awaitStop(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    /** The URL for logs: user info and query values (cameras often take passwords there) are masked. */
    static String redacted(URI url) {
        String userInfo = url.getRawUserInfo() == null ? "" : "***@";
        String port = url.getPort() < 0 ? "" : ":" + url.getPort();
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        String query = url.getRawQuery() == null ? "" : "?***";
        return url.getScheme() + "://" + userInfo + url.getHost() + port + path + query;
    }

    private static URI withoutUserInfo(URI url) {
        if (url.getRawUserInfo() == null) {
            return url;
        }
        String port = url.getPort() < 0 ? "" : ":" + url.getPort();
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
        return URI.create(url.getScheme() + "://" + url.getHost() + port + path + query);
    }
}
