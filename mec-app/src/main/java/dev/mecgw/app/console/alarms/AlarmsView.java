package dev.mecgw.app.console.alarms;

import dev.mecgw.app.events.EventFilter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The alarms screen's filter as the form shows it: without a choice the screen lists active warnings and alarms,
 * the events an operator acts on; {@code query} repeats the filter for the live region and the way back after an
 * action.
 *
 * @param severity the form's severity choice: {@code warning,alarm}, {@code alarm}, {@code warning} or {@code info}
 * @param state {@code active}, {@code cleared} or {@code any}
 * @param acknowledged {@code true}, {@code false} or blank for both
 * @param filter the filter passed to the event log
 */
public record AlarmsView(String severity, String state, String acknowledged, EventFilter filter) {

    static final String ALARMING = "warning,alarm";

    static AlarmsView of(EventFilter given) {
        EventFilter filter = given == null ? new EventFilter() : given;
        if (filter.severity == null || filter.severity.isBlank()) {
            filter.severity = ALARMING;
        }
        if (filter.state == null || filter.state.isBlank()) {
            filter.state = "active";
        }
        String acknowledged = filter.acknowledged == null ? "" : filter.acknowledged.strip();
        return new AlarmsView(filter.severity.strip(), filter.state.strip(), acknowledged, filter);
    }

    /** The filter as a URL query string (without {@code ?}). */
    public String query() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("severity", severity);
        fields.put("state", state);
        fields.put("acknowledged", acknowledged);
        return fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
