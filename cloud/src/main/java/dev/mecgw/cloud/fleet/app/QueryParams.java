package dev.mecgw.cloud.fleet.app;

import dev.mecgw.cloud.problem.CloudException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Parses the fleet API's query parameters; a bad value is a 400 naming the parameter. */
final class QueryParams {

    private QueryParams() {}

    static Instant instant(String name, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw CloudException.badField(name, "expected an ISO-8601 instant such as 2026-12-05T15:30:00Z");
        }
    }
}
