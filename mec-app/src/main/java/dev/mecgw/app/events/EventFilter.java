package dev.mecgw.app.events;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.FieldError;
import dev.mecgw.app.problem.GatewayException;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The query parameters of an event list, shared by the REST API and the console so that both accept and refuse the
 * same input: {@code severity} (comma-separated), {@code state} ({@code active|cleared|any}), {@code acknowledged}
 * ({@code true|false}), {@code device}, {@code kind}, {@code since} and {@code until} (ISO-8601 instants),
 * {@code before} (an event id), {@code limit}. Blank parameters count as absent. Use as a JAX-RS {@code @BeanParam}.
 */
public class EventFilter {

    /** Events per page when {@code limit} is absent. */
    public static final int DEFAULT_LIMIT = 50;

    @QueryParam("severity")
    public String severity;

    @QueryParam("state")
    public String state;

    @QueryParam("acknowledged")
    public String acknowledged;

    @QueryParam("device")
    public String device;

    @QueryParam("kind")
    public String kind;

    @QueryParam("since")
    public String since;

    @QueryParam("until")
    public String until;

    @QueryParam("before")
    public String before;

    @QueryParam("limit")
    public String limit;

    /**
     * Validates every parameter.
     *
     * @throws GatewayException bad request naming each invalid parameter
     */
    public EventQuery toQuery() {
        List<FieldError> errors = new ArrayList<>();
        Set<String> severities = new LinkedHashSet<>();
        for (String s : present(severity).map(v -> v.split(",")).orElse(new String[0])) {
            String value = s.strip().toLowerCase(Locale.ROOT);
            if (!Severity.ALL.contains(value)) {
                errors.add(new FieldError("severity", "must be a comma-separated list of info, warning, alarm"));
                break;
            }
            severities.add(value);
        }
        EventQuery.State parsedState = EventQuery.State.ANY;
        if (present(state).isPresent()) {
            try {
                parsedState = EventQuery.State.valueOf(state.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("state", "must be active, cleared or any"));
            }
        }
        Optional<String> ackText = present(acknowledged).map(v -> v.toLowerCase(Locale.ROOT));
        if (ackText.isPresent() && !Set.of("true", "false").contains(ackText.get())) {
            errors.add(new FieldError("acknowledged", "must be true or false"));
        }
        Optional<Instant> from = instant("since", since, errors);
        Optional<Instant> to = instant("until", until, errors);
        Optional<Long> cursor = number("before", before, 1, Long.MAX_VALUE, errors);
        long size = number("limit", limit, 1, EventQuery.MAX_LIMIT, errors).orElse((long) DEFAULT_LIMIT);
        if (!errors.isEmpty()) {
            throw new GatewayException(
                    ErrorKind.BAD_REQUEST,
                    "Invalid " + errors.get(0).field() + ": " + errors.get(0).message(),
                    errors,
                    null);
        }
        return new EventQuery(
                severities,
                parsedState,
                ackText.map(Boolean::parseBoolean),
                present(device),
                present(kind),
                from,
                to,
                cursor,
                (int) size);
    }

    private static Optional<String> present(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static Optional<Instant> instant(String field, String value, List<FieldError> errors) {
        try {
            return present(value).map(Instant::parse);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 instant, e.g. 2026-12-05T15:30:00Z"));
            return Optional.empty();
        }
    }

    private static Optional<Long> number(String field, String value, long min, long max, List<FieldError> errors) {
        try {
            Optional<Long> n = present(value).map(Long::parseLong);
            if (n.isPresent() && (n.get() < min || n.get() > max)) {
                errors.add(new FieldError(field, "must be between " + min + " and " + max));
                return Optional.empty();
            }
            return n;
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "must be a whole number"));
            return Optional.empty();
        }
    }
}
