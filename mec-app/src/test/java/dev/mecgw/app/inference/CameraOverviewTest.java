package dev.mecgw.app.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.events.EventLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The console's camera view model over the real event log (issue 19). */
@QuarkusTest
class CameraOverviewTest {

    @Inject
    EventLog events;

    @Inject
    CameraOverview cameras;

    @Inject
    MeterRegistry meters;

    @Test
    void shouldShowTheNewestResultWithItsBoxesWhenACameraHadSeveral() {
        // Given two detection events of one camera, the newer with one box on a 640x480 frame
        String camera = "cam-" + UUID.randomUUID();
        events.record(camera, "inference.detection", "info", detection(camera, "person", List.of(1, 2, 3, 4)));
        events.record(
                camera, "inference.detection", "info", detection(camera, "forklift", List.of(10.5, 20, 110, 220)));

        // When
        List<CameraOverview.CameraResult> latest = cameras.latest(Duration.ofHours(1), 10_000);

        // Then
        CameraOverview.CameraResult result = latest.stream()
                .filter(r -> r.cameraId().equals(camera))
                .findFirst()
                .orElseThrow();
        assertThat(result.boxes()).containsExactly(new CameraOverview.Box("forklift", 0.9, 10.5, 20, 110, 220));
        assertThat(result.frameWidth()).isEqualTo(640);
        assertThat(result.model()).isEqualTo("vision");
        assertThat(result.thumbnail()).contains(camera + "/1.jpg");
        assertThat(cameras.rate(Duration.ofMinutes(10)).objectsPerSecond()).isPositive();
        // A thumbnail that is not there, or a path out of the folder, resolves to nothing
        assertThat(cameras.thumbnail(camera + "/1.jpg")).isEmpty();
        assertThat(cameras.thumbnail("../../pom.xml")).isEmpty();
    }

    @Test
    void shouldEstimatePercentilesFromTheHistogramWhenAModelRan() {
        // Given 100 runs of a timer in the gateway's own registry (as the model runs are): 98 of 2 ms, 2 of 400 ms
        Timer timer = Timer.builder("test.runs." + UUID.randomUUID())
                .publishPercentileHistogram()
                .register(meters);
        for (int i = 0; i < 98; i++) {
            timer.record(2, TimeUnit.MILLISECONDS);
        }
        timer.record(400, TimeUnit.MILLISECONDS);
        timer.record(400, TimeUnit.MILLISECONDS);

        // When / then: the median is in a low bucket, the 99th percentile in the one holding 400 ms
        assertThat(CameraOverview.percentile(timer.takeSnapshot(), 0.5))
                .hasValueSatisfying(p -> assertThat(p).isBetween(2.0, 3.0));
        assertThat(CameraOverview.percentile(timer.takeSnapshot(), 0.99))
                .hasValueSatisfying(p -> assertThat(p).isBetween(400.0, 500.0));
        assertThat(CameraOverview.percentile(null, 0.5)).isEmpty();
    }

    private static Map<String, Object> detection(String camera, String label, List<Number> box) {
        return Map.of(
                "model",
                "vision",
                "version",
                "1",
                "frameWidth",
                640,
                "frameHeight",
                480,
                "thumbnail",
                camera + "/1.jpg",
                "detections",
                List.of(Map.of("label", label, "score", 0.9, "box", box)));
    }
}
