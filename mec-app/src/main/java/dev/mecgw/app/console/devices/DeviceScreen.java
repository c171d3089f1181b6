package dev.mecgw.app.console.devices;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.console.ConsolePages;
import dev.mecgw.app.console.ConsoleUser;
import dev.mecgw.app.registry.Device;
import dev.mecgw.app.registry.DeviceConnectionView;
import dev.mecgw.app.registry.DeviceNetworkView;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.telemetry.TelemetryStore;
import dev.mecgw.app.twin.TwinStore;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One device (issue 19): presence, credentials status (never a secret), a southbound device's connection state,
 * twin, network view, a chart of the last hour, which then grows live over server-sent events
 * ({@link DeviceStream}), and its last raw messages ({@link RawMessageRing}), also live; {@code readings} gives the
 * last hour again after a lost connection.
 */
@Path("/console/devices/{id}")
@Blocking
public class DeviceScreen {

    /** How far back the chart reaches. */
    static final Duration WINDOW = Duration.ofHours(1);
    /** Bounds the chart's answer in bytes: at most this many readings, newest first. */
    static final int MAX_READINGS = 5_000;

    private final ConsolePages pages;
    private final DeviceRegistry registry;
    private final DeviceNetworkView network;
    private final DeviceConnectionView connections;
    private final TwinStore twins;
    private final TelemetryStore telemetry;
    private final RawMessageRing rawMessages;
    private final ObjectMapper json;

    public DeviceScreen(ConsolePages pages, DeviceSources sources, ObjectMapper json) {
        this.pages = pages;
        this.registry = sources.registry();
        this.network = sources.network();
        this.connections = sources.connections();
        this.twins = sources.twins();
        this.telemetry = sources.telemetry();
        this.rawMessages = sources.rawMessages();
        this.json = json;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance device(@PathParam("id") String id, @Context SecurityContext security)
            throws JsonProcessingException {
        Device device = registry.find(id).orElseThrow(() -> new NotFoundException("no device " + id));
        var writer = json.writerWithDefaultPrettyPrinter();
        JsonNode twin = twins.get(id);
        return pages.page("console/device", "devices", ConsoleUser.of(security))
                .data("device", device)
                .data("twin", writer.writeValueAsString(twin))
                .data("desired", writer.writeValueAsString(twin.path("desired")))
                .data(
                        "connection",
                        connections
                                .stateOf(id)
                                .map(s -> json.convertValue(s, Map.class))
                                .orElse(null))
                .data("network", network.stateOf(id).map(this::pretty).orElse(""))
                // The version first: a message arriving meanwhile then makes the live region differ, never hides.
                .data("rawVersion", rawMessages.version(id))
                .data("rawMessages", rawMessages.of(id));
    }

    /**
     * The chart's data (see {@link DeviceChart}): the page loads it when its live connection opens (again), so
     * the page itself stays small and fast; at most {@value #MAX_READINGS} readings.
     */
    @GET
    @Path("readings")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> readings(@PathParam("id") String id) {
        if (registry.find(id).isEmpty()) {
            throw new NotFoundException("no device " + id);
        }
        return chart(id);
    }

    private Map<String, Object> chart(String id) {
        Instant now = Instant.now();
        return DeviceChart.of(telemetry.query(id, null, now.minus(WINDOW), now.plusSeconds(1), MAX_READINGS));
    }

    private String pretty(Object state) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(state);
        } catch (JsonProcessingException e) {
            return String.valueOf(state);
        }
    }
}
