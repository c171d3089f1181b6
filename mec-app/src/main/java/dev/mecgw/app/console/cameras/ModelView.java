package dev.mecgw.app.console.cameras;

import dev.mecgw.app.inference.CameraOverview.ModelLatency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One model's row: its current version and latency, and the stored versions an operator may activate.
 *
 * @param latency the current version's run latency
 * @param versions every stored version, oldest first
 */
public record ModelView(ModelLatency latency, List<String> versions) {

    public String p50() {
        return millis(latency.p50Millis());
    }

    public String p99() {
        return millis(latency.p99Millis());
    }

    private static String millis(Optional<Double> value) {
        return value.map(v -> String.format(Locale.ROOT, "%.1f ms", v)).orElse("–");
    }
}
