package dev.mecgw.inference.sensor;

import dev.mecgw.inference.event.InferenceEvent;
import dev.mecgw.inference.event.InferenceEventSink;
import dev.mecgw.inference.model.Head;
import dev.mecgw.inference.model.ModelCounters;
import dev.mecgw.inference.model.ModelKind;
import dev.mecgw.inference.model.ModelLease;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.model.ModelRegistry;
import dev.mecgw.inference.onnx.FloatTensor;
import dev.mecgw.inference.onnx.InferenceException;
import dev.mecgw.inference.onnx.InferenceWorkers;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Telemetry → for each installed sensor model of this pipeline's family (the configured name, and
 * {@code <name>.<suffix>}, e.g. one model per metric fitted in one call), the readings of the metrics and device types
 * the model names → sliding windows per model, device and metric → batched model runs on the inference workers → an
 * {@code inference.anomaly} event per window whose score crosses that model's {@code score} threshold. So a model
 * fitted on one metric never scores another metric of another scale (issue 23), and several models score side by
 * side, each only its own metrics. {@link #accept} may be called from any thread and never blocks on a run.
 */
public final class SensorPipeline {

    private final ModelRegistry registry;
    private final String modelName;
    private final InferenceWorkers workers;
    private final InferenceEventSink sink;
    private final SensorSettings settings;
    private final Map<String, SlidingWindows> windows = new HashMap<>();
    private final int maxBatch;
    private final ModelCounters windowCounts;

    /**
     * Windows by model version and outcome (issue 18 item 5): a model rollout's health gate compares the anomaly rate
     * of the new version with the previous one's. A meter of its own, since {@code mecgw.inference.windows} has no
     * version tag.
     */
    private final ModelCounters outputs;

    /**
     * @param meters registry for {@code mecgw.inference.windows} (tagged {@code model} and
     *     {@code outcome=scored|anomalous})
     */
    public SensorPipeline(
            ModelRegistry registry,
            SensorSettings settings,
            InferenceWorkers workers,
            InferenceEventSink sink,
            MeterRegistry meters) {
        this.registry = registry;
        this.modelName = settings.modelName();
        this.settings = settings;
        this.workers = workers;
        this.sink = sink;
        this.maxBatch = settings.maxBatch();
        this.windowCounts = new ModelCounters("mecgw.inference.windows", "Sensor windows by outcome", meters);
        this.outputs = new ModelCounters(OUTPUTS, "Sensor windows by model version and outcome", meters);
        // Registered up front so that the meters exist before the first model is installed.
        windowCounts.of(modelName, "scored");
        windowCounts.of(modelName, "anomalous");
    }

    /** Counter of windows per model version: tags {@code model}, {@code version}, {@code outcome}. */
    public static final String OUTPUTS = "mecgw.inference.outputs";

    /**
     * Whether a model of this pipeline's family is installed. Without one, {@link #accept} drops readings before
     * windowing them: nothing could score the windows, and cutting them would cost every ingest batch.
     */
    public boolean active() {
        return !models().isEmpty();
    }

    /** Whether an installed model of the family is limited to device types, so readings need their device's type. */
    public boolean needsDeviceTypes() {
        return models().stream().anyMatch(m -> !m.deviceTypes().isEmpty());
    }

    /** The installed models of this pipeline's family: the configured name and {@code <name>.<suffix>}. */
    List<ModelMetadata> models() {
        List<ModelMetadata> family = new ArrayList<>(1);
        registry.current(modelName).ifPresent(family::add);
        String prefix = modelName + ".";
        for (ModelMetadata model : registry.list()) {
            if (model.name().startsWith(prefix) && model.kind() == ModelKind.SENSOR) {
                family.add(model);
            }
        }
        return family;
    }

    /**
     * Feeds readings; the windows they complete are scored on a worker. Readings that arrive while no model is
     * installed are not windowed (see {@link #active()}), so the first windows after an install hold only
     * readings from after it.
     *
     * @return the scores of the windows completed by these readings, empty when none; completes exceptionally
     *         when the model is missing, the pool is saturated, a run fails or events cannot be stored
     */
    public CompletableFuture<List<WindowScore>> accept(List<SensorReading> readings) {
        Map<String, List<SensorWindow>> complete = new LinkedHashMap<>();
        for (ModelMetadata model : models()) {
            // Issue 23: a model fitted on one metric would flag every other metric's normal values as anomalies.
            List<SensorReading> matching = readings.stream()
                    .filter(r -> model.appliesTo(r.metric(), r.deviceType()))
                    .toList();
            if (matching.isEmpty()) {
                continue;
            }
            List<SensorWindow> cut;
            synchronized (windows) {
                cut = windows.computeIfAbsent(
                                model.name(), n -> new SlidingWindows(settings.windowSize(), settings.stride()))
                        .add(matching);
            }
            if (!cut.isEmpty()) {
                complete.put(model.name(), cut);
            }
        }
        if (complete.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return workers.submit(() -> {
            List<WindowScore> scores = new ArrayList<>();
            complete.forEach((model, cut) -> scores.addAll(score(model, cut)));
            List<InferenceEvent> events = scores.stream()
                    .filter(WindowScore::anomalous)
                    .map(this::event)
                    .toList();
            for (WindowScore score : scores) {
                windowCounts.of(score.model(), "scored").increment();
                outputs.of(score.model(), score.version(), "scored").increment();
                if (score.anomalous()) {
                    windowCounts.of(score.model(), "anomalous").increment();
                    outputs.of(score.model(), score.version(), "anomalous").increment();
                }
            }
            if (!events.isEmpty()) {
                sink.publish(events);
            }
            return scores;
        });
    }

    /** Scores windows with the current version of the configured model, in batches; blocks, so call it from a worker. */
    public List<WindowScore> score(List<SensorWindow> batch) {
        return score(modelName, batch);
    }

    /** Scores windows with the current version of {@code model}, in batches; blocks, so call it from a worker. */
    public List<WindowScore> score(String model, List<SensorWindow> batch) {
        try (ModelLease lease = registry.lease(model)) {
            long[] declared = lease.metadata().inputs().get(0).shape();
            int perRun = declared[0] > 0 ? (int) declared[0] : maxBatch;
            List<WindowScore> scores = new ArrayList<>(batch.size());
            for (int from = 0; from < batch.size(); from += perRun) {
                scores.addAll(run(lease, batch.subList(from, Math.min(batch.size(), from + perRun))));
            }
            return scores;
        }
    }

    private List<WindowScore> run(ModelLease lease, List<SensorWindow> chunk) {
        ModelMetadata model = lease.metadata();
        int width = chunk.get(0).values().length;
        float[] data = new float[chunk.size() * width];
        for (int i = 0; i < chunk.size(); i++) {
            if (chunk.get(i).values().length != width) {
                throw new InferenceException(InferenceException.Reason.INVALID_INPUT, "Windows differ in length");
            }
            System.arraycopy(chunk.get(i).values(), 0, data, i * width, width);
        }
        FloatTensor input = new FloatTensor(model.inputs().get(0).name(), new long[] {chunk.size(), width}, data);
        FloatTensor output = lease.run(List.of(input)).get(0);
        double threshold = model.threshold("score", Double.POSITIVE_INFINITY);
        List<WindowScore> scores = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            double score = model.head() == Head.RECONSTRUCTION ? mse(input.row(i), output.row(i)) : output.row(i)[0];
            scores.add(new WindowScore(chunk.get(i), model.name(), model.version(), score, threshold));
        }
        return scores;
    }

    private static double mse(float[] input, float[] reconstruction) {
        double sum = 0;
        for (int i = 0; i < input.length; i++) {
            double d = input[i] - reconstruction[i];
            sum += d * d;
        }
        return sum / input.length;
    }

    private InferenceEvent event(WindowScore score) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("model", score.model());
        payload.put("version", score.version());
        payload.put("metric", score.window().metric());
        payload.put("score", score.score());
        payload.put("threshold", score.threshold());
        payload.put("label", "anomaly");
        payload.put("windowStart", score.window().from().toString());
        payload.put("windowEnd", score.window().to().toString());
        return new InferenceEvent(score.window().deviceId(), "inference.anomaly", payload);
    }
}
