package dev.mecgw.inference.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mecgw.inference.vision.CameraFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CameraPullsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<CameraFrame> frames = new CopyOnWriteArrayList<>();
    private final CameraPulls pulls = new CameraPulls(
            new MjpegSettings(
                    Duration.ofSeconds(5),
                    Duration.ofMillis(20),
                    Duration.ofMillis(200),
                    Duration.ofSeconds(30),
                    1 << 20),
            frames::add,
            meters);
    private LocalMjpegCamera camera;

    @AfterEach
    void close() {
        pulls.close();
        if (camera != null) {
            camera.close();
        }
    }

    @Test
    void shouldDeliverDecodableFramesAndReconnectWhenTheCameraDropsTheStream() throws IOException {
        // given a camera that ends its first stream after 3 frames, behind a URL with credentials
        camera = new LocalMjpegCamera(0, 3, LocalMjpegCamera.generatedJpegs(5));

        // when
        pulls.reconcile(Map.of("cam-1", camera.url("viewer:pa%20ss", "token=secret")));

        // then frames keep arriving over a second connection
        await().atMost(Duration.ofSeconds(20)).until(() -> camera.streams() >= 2 && frames.size() >= 6);
        assertThat(frames).allSatisfy(f -> assertThat(f.cameraId()).isEqualTo("cam-1"));
        for (CameraFrame frame : frames.subList(0, 6)) {
            assertThat(ImageIO.read(new ByteArrayInputStream(frame.bytes())))
                    .isNotNull()
                    .satisfies(image -> assertThat(image.getWidth()).isEqualTo(64));
        }
        assertThat(camera.authorizations().get(0))
                .isEqualTo(
                        "Basic " + Base64.getEncoder().encodeToString("viewer:pa ss".getBytes(StandardCharsets.UTF_8)));
        assertThat(meters.get("mecgw.inference.mjpeg.connections")
                        .tag("camera", "cam-1")
                        .tag("outcome", "connected")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(2);
        assertThat(meters.get("mecgw.inference.mjpeg.cameras").gauge().value()).isEqualTo(1);
    }

    @Test
    void shouldStopPullingWhenTheCameraLeavesTheConfiguration() throws IOException {
        // given a camera being pulled
        camera = new LocalMjpegCamera(0, Integer.MAX_VALUE, LocalMjpegCamera.generatedJpegs(2));
        pulls.reconcile(Map.of("cam-2", camera.url(null, null)));
        await().atMost(Duration.ofSeconds(20)).until(() -> frames.size() >= 2);

        // when
        pulls.reconcile(Map.of());

        // then the connection is closed from our side and no camera is pulled
        await().atMost(Duration.ofSeconds(20)).until(() -> camera.clientsGone() == 1);
        assertThat(pulls.cameras()).isEmpty();
        assertThat(camera.streams()).isEqualTo(1);
        assertThat(meters.find("mecgw.inference.mjpeg.frames")
                        .tag("camera", "cam-2")
                        .counter())
                .isNull();
    }

    @Test
    void shouldRetryWithBackoffWhenTheCameraAnswersWithAnError() throws IOException {
        // given a camera that answers 503 twice
        camera = new LocalMjpegCamera(2, Integer.MAX_VALUE, LocalMjpegCamera.generatedJpegs(2));

        // when
        pulls.reconcile(Map.of("cam-3", camera.url(null, null)));

        // then
        await().atMost(Duration.ofSeconds(20)).until(() -> frames.size() >= 2);
        assertThat(meters.get("mecgw.inference.mjpeg.connections")
                        .tag("camera", "cam-3")
                        .tag("outcome", "failed")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(camera.authorizations()).hasSize(3).containsOnly("null");
    }

    @Test
    void shouldRejectTheWholeConfigurationWhenAUrlIsNotHttp() throws IOException {
        // given
        camera = new LocalMjpegCamera(0, 1, LocalMjpegCamera.generatedJpegs(1));

        // when / then
        assertThatThrownBy(
                        () -> pulls.reconcile(Map.of("ok", camera.url(null, null), "bad", URI.create("ftp://cam/x"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(pulls.cameras()).isEmpty();
    }

    @Test
    void shouldMaskUserInfoAndQueryWhenLoggingAUrl() {
        assertThat(HttpMjpegPuller.redacted(
                        URI.create("http://admin:secret@cam.local:8080/video.mjpg?user=admin&pwd=x")))
                .isEqualTo("http://***@cam.local:8080/video.mjpg?***");
        assertThat(HttpMjpegPuller.redacted(URI.create("https://cam.local/stream")))
                .isEqualTo("https://cam.local/stream");
    }
}
