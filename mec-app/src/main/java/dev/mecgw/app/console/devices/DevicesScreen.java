package dev.mecgw.app.console.devices;

import dev.mecgw.app.console.ConsolePages;
import dev.mecgw.app.console.ConsoleUser;
import dev.mecgw.app.registry.DeviceFilter;
import dev.mecgw.app.registry.DevicePage;
import dev.mecgw.app.registry.DeviceRegistry;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;

/**
 * The console's device list (issue 19): one page of the registry's paged query, filtered by type and one label.
 * The filter is a plain GET form, so every filtered page is a bookmarkable URL.
 */
@Path("/console/devices")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class DevicesScreen {

    /** Rows per page: enough for a plant's screen, small enough to render well under the 50 ms budget. */
    static final int PAGE_SIZE = 50;

    private final ConsolePages pages;
    private final DeviceRegistry registry;

    public DevicesScreen(ConsolePages pages, DeviceRegistry registry) {
        this.pages = pages;
        this.registry = registry;
    }

    @GET
    public TemplateInstance list(
            @Context SecurityContext security,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("type") @DefaultValue("") String type,
            @QueryParam("label") @DefaultValue("") String label) {
        int shown = Math.max(0, page);
        DevicePage found =
                registry.list(new DeviceFilter(blankToNull(type), labelFilter(label), null, null), shown, PAGE_SIZE);
        long pages = (found.total() + PAGE_SIZE - 1) / PAGE_SIZE;
        return this.pages
                .page("console/devices", "devices", ConsoleUser.of(security))
                .data("devices", found.items())
                .data("total", found.total())
                .data("page", shown)
                .data("pageNumber", shown + 1)
                .data("pages", pages)
                .data("previous", shown > 0 ? shown - 1 : -1)
                .data("next", shown + 1 < pages ? shown + 1 : -1)
                .data("type", type)
                .data("label", label);
    }

    /** {@code key=value} filters on that label; anything else (blank, no '=') does not filter. */
    static Map<String, String> labelFilter(String label) {
        int eq = label.indexOf('=');
        return eq > 0
                ? Map.of(label.substring(0, eq).strip(), label.substring(eq + 1).strip())
                : Map.of();
    }

    private static String blankToNull(String value) {
        return value.isBlank() ? null : value.strip();
    }
}
