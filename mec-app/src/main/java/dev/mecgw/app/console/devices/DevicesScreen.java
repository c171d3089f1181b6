package dev.mecgw.app.console.devices;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.console.ConsolePages;
import dev.mecgw.app.console.ConsoleUser;
import dev.mecgw.app.registry.DeviceConnectionView;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The console's device list (issue 19): pages of {@value #PAGE_SIZE} devices in id order (keyset: {@code after}
 * or {@code before} an id), filtered by type, one label, online, slice type and firmware version, with each
 * device's last seen time, reported firmware and, for southbound devices, connection state. The filter is a plain
 * GET form, so every filtered page is a bookmarkable URL.
 */
@Path("/console/devices")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class DevicesScreen {

    /** Rows per page: enough for a plant's screen, small enough to render well under the 50 ms budget. */
    static final int PAGE_SIZE = 50;

    private final ConsolePages pages;
    private final DeviceListing listing;
    private final DeviceConnectionView connections;
    private final ObjectMapper json;

    public DevicesScreen(
            ConsolePages pages, DataSource dataSource, ObjectMapper json, DeviceConnectionView connections) {
        this.pages = pages;
        this.listing = new DeviceListing(dataSource, json);
        this.connections = connections;
        this.json = json;
    }

    @GET
    public TemplateInstance list(
            @Context SecurityContext security,
            @QueryParam("after") String after,
            @QueryParam("before") String before,
            @QueryParam("type") String type,
            @QueryParam("label") String label,
            @QueryParam("online") String online,
            @QueryParam("sst") String sst,
            @QueryParam("firmware") String firmware) {
        DeviceListFilter filter = new DeviceListFilter(type, label, online, sst, firmware);
        DeviceListing.Page found;
        try {
            found = listing.page(filter, blankToNull(after), blankToNull(before), PAGE_SIZE);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        var rows = found.rows().stream()
                .map(row -> connectionState(row.id()).map(row::withConnection).orElse(row))
                .toList();
        String query = query(filter);
        return pages.page("console/devices", "devices", ConsoleUser.of(security))
                .data("devices", rows)
                .data("total", found.total())
                .data("filter", filter)
                .data(
                        "previous",
                        found.hasPrevious() && !rows.isEmpty()
                                ? "/console/devices?" + query + "&before="
                                        + encode(rows.get(0).id())
                                : null)
                .data(
                        "next",
                        found.hasNext() && !rows.isEmpty()
                                ? "/console/devices?" + query + "&after="
                                        + encode(rows.get(rows.size() - 1).id())
                                : null);
    }

    /** A southbound device's connection state ({@code connected}, {@code backoff}, ...), in memory. */
    private java.util.Optional<String> connectionState(String id) {
        return connections
                .stateOf(id)
                .map(state -> json.valueToTree(state).path("state").asText(""));
    }

    /** The filter as a URL query string (without {@code ?}), kept by the pager's links. */
    static String query(DeviceListFilter filter) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("type", filter.type());
        fields.put("label", filter.label());
        fields.put("online", filter.online());
        fields.put("sst", filter.sst());
        fields.put("firmware", filter.firmware());
        return fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
