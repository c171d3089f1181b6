package dev.mecgw.inference.sensor;

import dev.mecgw.inference.event.InferenceEvent;
import dev.mecgw.inference.event.InferenceEventSink;
import dev.mecgw.inference.model.Head;
import dev.mecgw.inference.model.ModelLease;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.model.ModelRegistry;
import dev.mecgw.inference.onnx.FloatTensor;
import dev.mecgw.inference.onnx.InferenceException;
import dev.mecgw.inference.onnx.InferenceWorkers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Telemetry of the metrics the current model names → sliding windows per device and metric → batched model runs on the inference workers → an
 * {@code inference.anomaly} event per window whose score crosses the model's {@code score} threshold.
 * {@link #accept} may be called from any thread and never blocks on a run.
 */
public final class SensorPipeline {

    private final ModelRegistry registry;
    private final String modelName;
    private final InferenceWorkers workers;
    private final InferenceEventSink sink;
    private final SlidingWindows windows;
    private final int maxBatch;
    private final Counter scored;
    private final Counter anomalies;

    /**
     * @param meters registry for {@code mecgw.inference.windows} (tagged {@code outcome=scored|anomalous})
     */
    public SensorPipeline(
            ModelRegistry registry,
            SensorSettings settings,
            InferenceWorkers workers,
            InferenceEventSink sink,
            MeterRegistry meters) {
        this.registry = registry;
        this.modelName = settings.modelName();
        this.workers = workers;
        this.sink = sink;
        this.windows = new SlidingWindows(settings.windowSize(), settings.stride());
        this.maxBatch = settings.maxBatch();
        this.scored = windows(meters, "scored");
        this.anomalies = windows(meters, "anomalous");
    }

    private Counter windows(MeterRegistry meters, String outcome) {
        return Counter.builder("mecgw.inference.windows")
                .description("Sensor windows by outcome")
                .tag("model", modelName)
                .tag("outcome", outcome)
                .register(meters);
    }

    /**
     * Whether a model is installed under this pipeline's name. Without one, {@link #accept} drops readings
     * before windowing them: nothing could score the windows, and cutting them would cost every ingest batch.
     */
    public boolean active() {
        return registry.current(modelName).isPresent();
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
        if (!active()) {
            return CompletableFuture.completedFuture(List.of());
        }
        // Issue 23: a model fitted on one metric would flag every other metric's normal values as anomalies.
        ModelMetadata model = registry.current(modelName).orElse(null);
        List<SensorReading> matching = model == null
                ? List.of()
                : readings.stream().filter(r -> model.appliesTo(r.metric())).toList();
        if (matching.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        List<SensorWindow> complete;
        synchronized (windows) {
            complete = windows.add(matching);
        }
        if (complete.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return workers.submit(() -> {
            List<WindowScore> scores = score(complete);
            List<InferenceEvent> events = scores.stream()
                    .filter(WindowScore::anomalous)
                    .map(this::event)
                    .toList();
            scored.increment(scores.size());
            anomalies.increment(events.size());
            if (!events.isEmpty()) {
                sink.publish(events);
            }
            return scores;
        });
    }

    /** Scores windows with the current model version, in batches; blocks, so call it from a worker. */
    public List<WindowScore> score(List<SensorWindow> batch) {
        try (ModelLease lease = registry.lease(modelName)) {
            ModelMetadata model = lease.metadata();
            long[] declared = model.inputs().get(0).shape();
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
