package dev.mecgw.ran.nef;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A TS 29.122 {@code MonitoringNotification} as delivered to our callback.
 *
 * @param subscription the subscription resource the reports belong to
 * @param reports the reports, possibly empty (a configuration result or cancellation only)
 * @param cancelInd true when the network cancelled the subscription
 */
public record MonitoringNotification(URI subscription, List<MonitoringReport> reports, boolean cancelInd) {

    /**
     * Reads a notification body.
     *
     * @param body the JSON body
     * @param arrival used as event time for reports without {@code eventTime}
     * @throws IllegalArgumentException when the mandatory {@code subscription} is missing or a field is malformed
     */
    public static MonitoringNotification parse(JsonNode body, Instant arrival) {
        String subscription = body.path("subscription").asText(null);
        if (subscription == null || !body.path("subscription").isTextual()) {
            throw new IllegalArgumentException("subscription is required");
        }
        List<MonitoringReport> reports = new ArrayList<>();
        for (JsonNode report : body.path("monitoringEventReports")) {
            reports.add(report(report, arrival));
        }
        return new MonitoringNotification(
                URI.create(subscription),
                List.copyOf(reports),
                body.path("cancelInd").asBoolean(false));
    }

    private static MonitoringReport report(JsonNode report, Instant arrival) {
        JsonNode location = report.path("locationInfo");
        return new MonitoringReport(
                MonitoringType.fromWire(report.path("monitoringType").asText(null)),
                report.path("externalId").asText(null),
                report.path("msisdn").asText(null),
                report.hasNonNull("lossOfConnectReason")
                        ? report.get("lossOfConnectReason").asInt()
                        : null,
                report.path("reachabilityType").asText(null),
                location.path("cellId").asText(null),
                location.path("trackingAreaId").asText(null),
                time(report.path("eventTime"), arrival));
    }

    private static Instant time(JsonNode value, Instant fallback) {
        if (!value.isTextual()) {
            return fallback;
        }
        try {
            return java.time.OffsetDateTime.parse(value.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("eventTime is not an RFC 3339 date-time");
        }
    }
}
