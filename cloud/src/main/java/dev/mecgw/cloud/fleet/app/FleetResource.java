package dev.mecgw.cloud.fleet.app;

import dev.mecgw.cloud.fleet.DeviceView;
import dev.mecgw.cloud.fleet.EventView;
import dev.mecgw.cloud.fleet.FleetView;
import dev.mecgw.cloud.fleet.RollupView;
import dev.mecgw.cloud.fleet.SiteSummary;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The fleet view: sites, and per site its devices, events and rollups, from the typed mirror. */
@Path("/api/v1/sites")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class FleetResource {

    @Inject
    FleetView fleet;

    /** @return every known site with its last change, lag, backlog and whether it is online */
    @GET
    public List<SiteSummary> sites() {
        return fleet.sites();
    }

    /** @return the site's devices, optionally only those online ({@code true}) or offline ({@code false}) */
    @GET
    @Path("/{siteId}/devices")
    public List<DeviceView> devices(@PathParam("siteId") String siteId, @QueryParam("online") Boolean online) {
        return fleet.devices(siteId, Optional.ofNullable(online));
    }

    /** @return the site's events from {@code from} (default: one day ago), oldest first, at most {@code limit} */
    @GET
    @Path("/{siteId}/events")
    public List<EventView> events(
            @PathParam("siteId") String siteId,
            @QueryParam("from") String from,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        Instant start = QueryParams.instant("from", from, Instant.now().minus(Duration.ofDays(1)));
        return fleet.events(siteId, start, limit);
    }

    /** @return the device's one-minute rollups in [{@code from}, {@code to}) (default: the last hour) */
    @GET
    @Path("/{siteId}/devices/{deviceId}/rollups")
    public List<RollupView> rollups(
            @PathParam("siteId") String siteId,
            @PathParam("deviceId") String deviceId,
            @QueryParam("metric") String metric,
            @QueryParam("from") String from,
            @QueryParam("to") String to) {
        Instant end = QueryParams.instant("to", to, Instant.now());
        Instant start = QueryParams.instant("from", from, end.minus(Duration.ofHours(1)));
        return fleet.rollups(siteId, deviceId, Optional.ofNullable(metric).filter(m -> !m.isBlank()), start, end);
    }
}
