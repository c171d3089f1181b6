package dev.mecgw.inference.onnx;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Per-model meters: {@code mecgw.inference.runs} (timer with a latency histogram; its count is the number
 * of runs) and {@code mecgw.inference.errors}, both tagged with model name and version.
 */
record ModelMetrics(Timer runs, Counter errors) {

    static ModelMetrics of(MeterRegistry registry, String name, String version) {
        Timer runs = Timer.builder("mecgw.inference.runs")
                .description("ONNX Runtime session runs")
                .tag("model", name)
                .tag("version", version)
                .publishPercentileHistogram()
                .register(registry);
        Counter errors = Counter.builder("mecgw.inference.errors")
                .description("Failed ONNX Runtime session runs")
                .tag("model", name)
                .tag("version", version)
                .register(registry);
        return new ModelMetrics(runs, errors);
    }
}
