package dev.mecgw.app.inference.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.telemetry.Reading;
import dev.mecgw.inference.model.FileModelRegistry;
import dev.mecgw.inference.onnx.InferenceWorkers;
import dev.mecgw.inference.onnx.OnnxModelLoader;
import dev.mecgw.inference.onnx.SessionSettings;
import dev.mecgw.inference.sensor.RobustZScoreFitter;
import dev.mecgw.inference.sensor.SensorPipeline;
import dev.mecgw.inference.sensor.SensorSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensorTelemetryListenerTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final InferenceWorkers workers = new InferenceWorkers(1, 64, meters);
    private FileModelRegistry registry;

    @AfterEach
    void close() {
        workers.close();
        registry.close();
    }

    @Test
    void shouldSkipBatchesWithoutWindowingWhenNoSensorModelIsInstalled() throws Exception {
        // given a listener whose sensor model (windows of 4) is not installed yet
        SensorTelemetryListener listener = givenAListener();

        // when three readings commit before the install, then five after it
        listener.committed(readings(0, 3));
        installModel();
        listener.committed(readings(3, 1));
        listener.committed(readings(4, 4));

        // then only the five later readings were windowed: one window (readings 3..6), not two
        workers.submit(() -> null).get(10, TimeUnit.SECONDS);
        assertThat(meters.get("mecgw.inference.windows")
                        .tag("outcome", "scored")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    private SensorTelemetryListener givenAListener() {
        registry = new FileModelRegistry(dir, new OnnxModelLoader(SessionSettings.defaults(), meters));
        return new SensorTelemetryListener(new SensorPipeline(
                registry, new SensorSettings("sensor-anomaly", 4, 4, 8), workers, events -> {}, meters));
    }

    private void installModel() {
        double[] normal = new double[200];
        for (int i = 0; i < normal.length; i++) {
            normal[i] = 21 + Math.sin(i);
        }
        RobustZScoreFitter.Fitted fitted = new RobustZScoreFitter().fit("sensor-anomaly", "1", List.of(normal), 4, 1.5);
        registry.install(fitted.metadata(), fitted.onnx());
    }

    private static List<Reading> readings(int from, int count) {
        List<Reading> readings = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            readings.add(new Reading("d", "temp", Instant.ofEpochSecond(i), 21));
        }
        return readings;
    }
}
