package dev.mecgw.app.inference;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.util.List;

/**
 * Fit sensor anomaly models on stored telemetry that is known to be normal (issue 23). Give {@code metric} (one model,
 * installed under the path's name) or {@code metrics} (one model per metric, installed as {@code <name>.<metric>});
 * each model scores only its metric, and only devices of {@code deviceType} when that is given.
 *
 * @param metric the metric to learn; exclusive with {@code metrics}
 * @param metrics several metrics, one model each; exclusive with {@code metric}; names of lower-case letters,
 *     digits, '.', '_' and '-' (they become part of the model name)
 * @param deviceType when given, the models score only devices of this type, and without {@code deviceIds} the
 *     training data are the devices of this type (at most 1000)
 * @param deviceIds devices whose readings form the training data; required without {@code deviceType}
 * @param from inclusive start, or unbounded when null
 * @param to exclusive end, or unbounded when null
 * @param maxReadings newest readings per device to use, default 10000
 * @param margin threshold = margin × highest training-window score, default 1.5
 */
public record FitRequest(
        String metric,
        List<String> metrics,
        String deviceType,
        List<String> deviceIds,
        Instant from,
        Instant to,
        @Min(1) @Max(1_000_000) Integer maxReadings,
        @DecimalMin("1.0") Double margin) {}
