package dev.mecgw.app.console.overview;

import dev.mecgw.app.console.ConsoleAuthFilter;
import dev.mecgw.app.console.ConsolePages;
import dev.mecgw.app.console.ConsoleUser;
import dev.mecgw.app.console.LiveRegion;
import dev.mecgw.app.console.LiveStream;
import dev.mecgw.app.console.LiveStreams;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/**
 * The console's landing screen: the site at a glance ({@link OverviewTiles}); the tiles stay live over
 * server-sent events ({@code /console/stream}, event {@value #EVENT}), sent again only when they changed.
 */
@Path("/console")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class OverviewResource {

    static final String EVENT = "tiles";

    private final ConsolePages pages;
    private final OverviewTiles tiles;
    private final LiveStreams live;

    public OverviewResource(ConsolePages pages, OverviewTiles tiles, LiveStreams live) {
        this.pages = pages;
        this.tiles = tiles;
        this.live = live;
    }

    @GET
    public TemplateInstance overview(@Context SecurityContext security) {
        // The tiles are rendered once, into the page and into the fingerprint its stream starts from.
        String region = tiles();
        return pages.page("console/overview", "overview", ConsoleUser.of(security))
                .data("region", region)
                .data("shown", LiveStream.fingerprint(region));
    }

    /** The tiles as server-sent events for htmx's SSE extension. */
    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(
            @CookieParam(ConsoleAuthFilter.COOKIE) String token, @QueryParam("shown") String shown, @Context Sse sse) {
        return live.open(token, sse, LiveRegion.showing(EVENT, shown, this::tiles));
    }

    private String tiles() {
        return tiles.fill(pages.fragment("console/overview-tiles").data("version", pages.version()))
                .render();
    }
}
