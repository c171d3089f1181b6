package dev.mecgw.app.modelrollout;

import dev.mecgw.inference.model.ModelKind;
import dev.mecgw.inference.sensor.SensorPipeline;
import dev.mecgw.inference.vision.VisionPipeline;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.concurrent.TimeUnit;

/**
 * Reads one model version's figures from the inference meters: {@code mecgw.inference.runs} (timer with a latency
 * histogram) and {@code mecgw.inference.errors}, tagged model and version by the runner, and the outputs of the
 * pipeline that feeds the model: {@link SensorPipeline#OUTPUTS} (windows scored, anomalous) or
 * {@link VisionPipeline#OUTPUTS} (frames, detections).
 */
final class MeterInferenceStats {

    private final MeterRegistry meters;

    MeterInferenceStats(MeterRegistry meters) {
        this.meters = meters;
    }

    VersionStats of(ModelKind kind, String model, String version) {
        if (version == null) {
            return VersionStats.NONE;
        }
        Timer runs = meters.find("mecgw.inference.runs")
                .tag("model", model)
                .tag("version", version)
                .timer();
        Counter errors = meters.find("mecgw.inference.errors")
                .tag("model", model)
                .tag("version", version)
                .counter();
        double[] bounds = new double[0];
        double[] counts = new double[0];
        if (runs != null) {
            HistogramSnapshot snapshot = runs.takeSnapshot();
            CountAtBucket[] buckets = snapshot.histogramCounts();
            bounds = new double[buckets.length];
            counts = new double[buckets.length];
            for (int i = 0; i < buckets.length; i++) {
                bounds[i] = buckets[i].bucket(TimeUnit.SECONDS);
                counts[i] = buckets[i].count();
            }
        }
        boolean vision = kind == ModelKind.VISION;
        String outputs = vision ? VisionPipeline.OUTPUTS : SensorPipeline.OUTPUTS;
        return new VersionStats(
                runs == null ? 0 : runs.count(),
                errors == null ? 0 : (long) errors.count(),
                count(outputs, model, version, vision ? "frames" : "scored"),
                count(outputs, model, version, vision ? "detections" : "anomalous"),
                bounds,
                counts);
    }

    private long count(String meter, String model, String version, String outcome) {
        Counter counter = meters.find(meter)
                .tag("model", model)
                .tag("version", version)
                .tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : (long) counter.count();
    }
}
