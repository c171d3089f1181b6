package dev.mecgw.inference.model;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The counters of one pipeline meter, tagged {@code model} and {@code outcome}, and {@code version} where a model
 * rollout's health gate compares a new version's rates with the previous version's (issue 18 item 5). Counters are
 * registered on first use and the same one is returned afterwards. Thread-safe.
 *
 * @param name the meter name, e.g. {@code mecgw.inference.windows}
 * @param description what one increment counts
 * @param meters where the counters are registered
 */
public record ModelCounters(String name, String description, MeterRegistry meters) {

    /** The counter of {@code outcome} for the model, whatever its version. */
    public Counter of(String model, String outcome) {
        return builder(model, outcome).register(meters);
    }

    /** The counter of {@code outcome} for one version of the model. */
    public Counter of(String model, String version, String outcome) {
        return builder(model, outcome).tag("version", version).register(meters);
    }

    private Counter.Builder builder(String model, String outcome) {
        return Counter.builder(name)
                .description(description)
                .tag("model", model)
                .tag("outcome", outcome);
    }
}
