package dev.mecgw.inference.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.inference.event.InferenceEvent;
import dev.mecgw.inference.model.FileModelRegistry;
import dev.mecgw.inference.model.Head;
import dev.mecgw.inference.model.ModelKind;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.onnx.FloatTensor;
import dev.mecgw.inference.onnx.InferenceWorkers;
import dev.mecgw.inference.onnx.OnnxModelLoader;
import dev.mecgw.inference.onnx.SessionSettings;
import dev.mecgw.inference.onnx.SharedModels;
import dev.mecgw.inference.onnx.TensorSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensorPipelineTest {

    private static final int WINDOW = 16;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final InferenceWorkers workers = new InferenceWorkers(1, 64, meters);
    private final List<InferenceEvent> events = new CopyOnWriteArrayList<>();
    private FileModelRegistry registry;

    @BeforeEach
    void createRegistry() {
        registry = new FileModelRegistry(dir, new OnnxModelLoader(SessionSettings.defaults(), meters));
    }

    @AfterEach
    void close() {
        workers.close();
        registry.close();
    }

    @Test
    void shouldFindInjectedAnomaliesWithHighPrecisionAndRecallWhenModelIsFittedOnNormalData() throws Exception {
        // given a model fitted on normal series of three devices, installed like an upload
        List<double[]> training = List.of(
                SyntheticSeries.normal(1, 2000).values,
                SyntheticSeries.normal(2, 2000).values,
                SyntheticSeries.normal(3, 2000).values);
        RobustZScoreFitter.Fitted fitted = new RobustZScoreFitter().fit("temp-anomaly", "1", training, WINDOW, 1.5);
        registry.install(fitted.metadata(), fitted.onnx());
        SensorPipeline pipeline = new SensorPipeline(
                registry, new SensorSettings("temp-anomaly", WINDOW, WINDOW, 32), workers, events::addAll, meters);

        // when fresh series with 10 injected spikes each are streamed in chunks
        List<WindowScore> scores = new ArrayList<>();
        List<SyntheticSeries> tests = List.of(new SyntheticSeries(11, 3000, 10), new SyntheticSeries(12, 3000, 10));
        for (int d = 0; d < tests.size(); d++) {
            double[] v = tests.get(d).values;
            for (int from = 0; from < v.length; from += 100) {
                List<SensorReading> chunk = new ArrayList<>();
                for (int i = from; i < Math.min(v.length, from + 100); i++) {
                    chunk.add(new SensorReading("dev-" + d, "temp", Instant.ofEpochSecond(i), v[i]));
                }
                scores.addAll(pipeline.accept(chunk).get(10, TimeUnit.SECONDS));
            }
        }

        // then
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (WindowScore s : scores) {
            SyntheticSeries series =
                    tests.get(Integer.parseInt(s.window().deviceId().substring(4)));
            long start = s.window().from().getEpochSecond();
            boolean truth = series.anomalies.stream().anyMatch(a -> a >= start && a < start + WINDOW);
            tp += truth && s.anomalous() ? 1 : 0;
            fp += !truth && s.anomalous() ? 1 : 0;
            fn += truth && !s.anomalous() ? 1 : 0;
        }
        double precision = tp / (double) (tp + fp);
        double recall = tp / (double) (tp + fn);
        assertThat(tp + fn).isEqualTo(20);
        assertThat(precision).as("precision").isGreaterThanOrEqualTo(0.9);
        assertThat(recall).as("recall").isGreaterThanOrEqualTo(0.9);
        assertThat(events).hasSize(tp + fp);
        assertThat(meters.get("mecgw.inference.windows")
                        .tag("outcome", "anomalous")
                        .counter()
                        .count())
                .isEqualTo(tp + fp);
        assertThat(events.get(0).kind()).isEqualTo("inference.anomaly");
        assertThat(events.get(0).payload())
                .containsKeys("score", "threshold", "windowStart", "windowEnd", "metric")
                .containsEntry("model", "temp-anomaly")
                .containsEntry("label", "anomaly");
    }

    @Test
    void shouldNotWindowReadingsWhenNoModelIsInstalled() throws Exception {
        // given a pipeline whose model is not installed yet
        SensorPipeline pipeline =
                new SensorPipeline(registry, new SensorSettings("late", 4, 4, 4), workers, events::addAll, meters);
        assertThat(pipeline.active()).isFalse();

        // when three readings arrive before the install and one after it
        List<WindowScore> before = pipeline.accept(readings(0, 3)).get(10, TimeUnit.SECONDS);
        RobustZScoreFitter.Fitted fitted =
                new RobustZScoreFitter().fit("late", "1", List.of(SyntheticSeries.normal(4, 200).values), 4, 1.5);
        registry.install(fitted.metadata(), fitted.onnx());
        List<WindowScore> first = pipeline.accept(readings(3, 1)).get(10, TimeUnit.SECONDS);

        // then the early readings were never buffered: one more reading does not complete a window, four do
        assertThat(before).isEmpty();
        assertThat(pipeline.active()).isTrue();
        assertThat(first).isEmpty();
        List<WindowScore> next = pipeline.accept(readings(4, 3)).get(10, TimeUnit.SECONDS);
        assertThat(next)
                .singleElement()
                .satisfies(s -> assertThat(s.window().from()).isEqualTo(Instant.ofEpochSecond(3)));
    }

    @Test
    void shouldRaiseNoEventOnAnotherMetricWhenModelNamesItsMetric() throws Exception {
        // given a model fitted on temperature (~21) that names its metric (issue 23)
        RobustZScoreFitter.Fitted fitted = new RobustZScoreFitter()
                .fit("temp-only", "1", List.of(SyntheticSeries.normal(5, 2000).values), WINDOW, 1.5);
        registry.install(fitted.metadata().withMetrics(List.of("temp")), fitted.onnx());
        SensorPipeline pipeline = new SensorPipeline(
                registry, new SensorSettings("temp-only", WINDOW, WINDOW, 32), workers, events::addAll, meters);
        double[] temp = SyntheticSeries.normal(6, 320).values;

        // when the same device streams normal temperature and normal pressure (~1013 hPa)
        List<WindowScore> scores = new ArrayList<>();
        for (int from = 0; from < temp.length; from += 32) {
            List<SensorReading> chunk = new ArrayList<>();
            for (int i = from; i < from + 32; i++) {
                chunk.add(new SensorReading("d", "temp", Instant.ofEpochSecond(i), temp[i]));
                chunk.add(new SensorReading("d", "pressure", Instant.ofEpochSecond(i), 1013 + (i % 7) * 0.1));
            }
            scores.addAll(pipeline.accept(chunk).get(10, TimeUnit.SECONDS));
        }

        // then only temperature windows were scored, and the pressure raised no event
        assertThat(scores)
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.window().metric()).isEqualTo("temp"));
        assertThat(events).noneSatisfy(e -> assertThat(e.payload()).containsEntry("metric", "pressure"));
    }

    @Test
    void shouldScoreEachMetricOnlyWithItsModelWhenOneModelPerMetricIsInstalled() throws Exception {
        // given two models of the pipeline's family side by side (issue 23): temperature (~21) and pressure (~100000,
        // of another scale), the pressure model limited to devices of type "weather"
        double[] temp = SyntheticSeries.normal(7, 2000).values;
        double[] pressure = new double[2000];
        for (int i = 0; i < pressure.length; i++) {
            pressure[i] = 100_000 + temp[i] * 10;
        }
        RobustZScoreFitter.Fitted t = new RobustZScoreFitter().fit("multi.temp", "1", List.of(temp), WINDOW, 1.5);
        RobustZScoreFitter.Fitted p =
                new RobustZScoreFitter().fit("multi.pressure", "1", List.of(pressure), WINDOW, 1.5);
        registry.install(t.metadata().withMetrics(List.of("temp")), t.onnx());
        registry.install(p.metadata().withScope(List.of("pressure"), List.of("weather")), p.onnx());
        SensorPipeline pipeline = new SensorPipeline(
                registry, new SensorSettings("multi", WINDOW, WINDOW, 32), workers, events::addAll, meters);
        double[] live = SyntheticSeries.normal(8, 320).values;

        // when a weather device and a device of another type stream both metrics
        List<WindowScore> scores = new ArrayList<>();
        for (int from = 0; from < live.length; from += 32) {
            List<SensorReading> chunk = new ArrayList<>();
            for (int i = from; i < from + 32; i++) {
                Instant ts = Instant.ofEpochSecond(i);
                chunk.add(new SensorReading("w", "temp", ts, live[i], "weather"));
                chunk.add(new SensorReading("w", "pressure", ts, 100_000 + live[i] * 10, "weather"));
                chunk.add(new SensorReading("o", "pressure", ts, 5, "other"));
            }
            scores.addAll(pipeline.accept(chunk).get(10, TimeUnit.SECONDS));
        }

        // then each model scored only its metric, the pressure model only the weather device
        assertThat(scores).anySatisfy(s -> assertThat(s.model()).isEqualTo("multi.temp"));
        assertThat(scores).anySatisfy(s -> assertThat(s.model()).isEqualTo("multi.pressure"));
        assertThat(scores).allSatisfy(s -> {
            assertThat(s.model()).isEqualTo("multi." + s.window().metric());
            assertThat(s.window().deviceId()).isEqualTo("w");
        });
        assertThat(events).noneSatisfy(e -> assertThat(e.deviceId()).isEqualTo("o"));
    }

    private static List<SensorReading> readings(int from, int count) {
        List<SensorReading> readings = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            readings.add(new SensorReading("d", "temp", Instant.ofEpochSecond(i), 21));
        }
        return readings;
    }

    @Test
    void shouldScoreLikeJavaFormulaWhenFittedModelRunsInOnnxRuntime() {
        // given
        double[] normal = SyntheticSeries.normal(5, 500).values;
        RobustZScoreFitter.Fitted fitted = new RobustZScoreFitter().fit("z", "1", List.of(normal), 8, 1.5);
        registry.install(fitted.metadata(), fitted.onnx());
        float[] window = {21, 22, 20, 35, 21, 21, 20, 22};

        // when
        SensorPipeline pipeline =
                new SensorPipeline(registry, new SensorSettings("z", 8, 8, 4), workers, events::addAll, meters);
        WindowScore score = pipeline.score(List.of(new SensorWindow("d", "m", Instant.EPOCH, Instant.EPOCH, window)))
                .get(0);

        // then
        double[] asDouble = new double[8];
        for (int i = 0; i < 8; i++) {
            asDouble[i] = window[i];
        }
        double expected = RobustZScoreFitter.score(asDouble, 0, 8, fitted.center(), fitted.scale());
        assertThat(score.score()).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(0.01));
        assertThat(score.anomalous()).isTrue();
    }

    @Test
    void shouldScoreReconstructionErrorWhenRunningTheToyCarAutoencoder() throws Exception {
        // given the shared autoencoder, one window = one 640-value log-mel feature vector
        byte[] bytes = SharedModels.bytes("toycar-ad-autoencoder");
        registry.install(
                new ModelMetadata(
                        "toycar",
                        "1",
                        ModelKind.SENSOR,
                        Head.RECONSTRUCTION,
                        FileModelRegistry.sha256(bytes),
                        List.of(new TensorSpec("actual_input_1", new long[] {1, 640})),
                        List.of(new TensorSpec("output1", new long[] {1, 640})),
                        null,
                        Map.of("score", 40.0),
                        List.of()),
                bytes);
        FloatTensor sample = SharedModels.tensors(SharedModels.dataSet("toycar-ad-autoencoder", 0), "input_")
                .get(0);
        float[] shuffled = new float[sample.data().length];
        List<Float> list = new ArrayList<>();
        for (float f : sample.data()) {
            list.add(f);
        }
        java.util.Collections.shuffle(list, new java.util.Random(7));
        for (int i = 0; i < shuffled.length; i++) {
            shuffled[i] = list.get(i);
        }
        SensorPipeline pipeline = new SensorPipeline(
                registry, new SensorSettings("toycar", 640, 640, 8), workers, events::addAll, meters);

        // when
        List<WindowScore> scores = pipeline.score(List.of(
                new SensorWindow("mic-1", "logmel", Instant.EPOCH, Instant.EPOCH, sample.data()),
                new SensorWindow("mic-1", "logmel", Instant.EPOCH, Instant.EPOCH, shuffled)));

        // then: README figures, MSE 13.4 for the real sample and far higher once its structure is destroyed
        assertThat(scores.get(0).score()).isCloseTo(13.4, org.assertj.core.data.Offset.offset(0.1));
        assertThat(scores.get(0).anomalous()).isFalse();
        assertThat(scores.get(1).score()).isGreaterThan(60);
        assertThat(scores.get(1).anomalous()).isTrue();
    }
}
