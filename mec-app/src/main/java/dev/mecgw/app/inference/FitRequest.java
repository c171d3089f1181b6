package dev.mecgw.app.inference;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.time.Instant;
import java.util.List;

/**
 * Fit a sensor anomaly model on stored telemetry that is known to be normal.
 *
 * @param metric the metric to learn
 * @param deviceIds devices whose readings form the training data
 * @param from inclusive start, or unbounded when null
 * @param to exclusive end, or unbounded when null
 * @param maxReadings newest readings per device to use, default 10000
 * @param margin threshold = margin × highest training-window score, default 1.5
 */
public record FitRequest(
        @NotBlank String metric,
        @NotEmpty List<@NotBlank String> deviceIds,
        Instant from,
        Instant to,
        @Min(1) @Max(1_000_000) Integer maxReadings,
        @DecimalMin("1.0") Double margin) {}
