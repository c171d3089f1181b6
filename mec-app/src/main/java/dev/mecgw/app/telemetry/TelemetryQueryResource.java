package dev.mecgw.app.telemetry;

import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.DeviceRegistry;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Read access to a device's stored telemetry. */
@Path("/api/v1/devices/{id}/telemetry")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "telemetry")
@SecurityRequirement(name = "adminToken")
public class TelemetryQueryResource {

    private final TelemetryStore store;
    private final DeviceRegistry registry;

    public TelemetryQueryResource(TelemetryStore store, DeviceRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /**
     * Readings newest first.
     *
     * @param from inclusive ISO-8601 instant
     * @param to exclusive ISO-8601 instant
     */
    @GET
    public List<TelemetryPoint> read(
            @PathParam("id") String id,
            @QueryParam("metric") String metric,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") @DefaultValue("1000") @Min(1) @Max(100_000) int limit) {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (registry.find(id).isEmpty()) {
            throw GatewayException.notFound("Device " + id);
        }
        return store.query(id, metric, start, end, limit).stream()
                .map(r -> new TelemetryPoint(
                        r.ts(),
                        r.metric(),
                        r.value(),
                        r.unit(),
                        r.kind().label(),
                        r.quality() == 0 ? null : r.quality()))
                .toList();
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw GatewayException.badField(
                    name, "must be an ISO-8601 date-time with offset, e.g. 2026-01-31T12:00:00Z");
        }
    }

    /**
     * One reading as the API shows it.
     *
     * @param unit the unit the device declares for this metric now (SenML), null when it declared none
     * @param kind {@code number}, {@code boolean} (value 0/1) or {@code sum}
     * @param quality the quality flags the source gave the value (issue 21, see {@code Reading#quality}); absent when
     *     the value is good
     */
    public record TelemetryPoint(
            Instant ts,
            String metric,
            double value,
            String unit,
            String kind,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            Integer quality) {}
}
