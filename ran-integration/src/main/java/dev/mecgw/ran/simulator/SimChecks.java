package dev.mecgw.ran.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Input checks shared by the simulated APIs: each returns the problem to answer, or empty when fine. */
final class SimChecks {

    private SimChecks() {}

    /** The body must be a JSON object carrying each of {@code fields}. */
    static Optional<String> requireFields(JsonNode body, String... fields) {
        if (body == null || !body.isObject()) {
            return Optional.of("a JSON object body is required");
        }
        for (String field : fields) {
            if (!body.hasNonNull(field)) {
                return Optional.of(field + " is required");
            }
        }
        return Optional.empty();
    }

    /** Exactly one of {@code fields} is present. */
    static Optional<String> exactlyOne(JsonNode body, String... fields) {
        int present = 0;
        for (String field : fields) {
            present += body.hasNonNull(field) ? 1 : 0;
        }
        return present == 1
                ? Optional.empty()
                : Optional.of("exactly one of " + String.join(", ", fields) + " is required");
    }
}
