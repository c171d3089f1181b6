package dev.mecgw.app.console.devices;

import dev.mecgw.app.console.ConsoleAuthFilter;
import dev.mecgw.app.console.ConsolePages;
import dev.mecgw.app.console.LiveReadings;
import dev.mecgw.app.console.LiveRegion;
import dev.mecgw.app.console.LiveStream;
import dev.mecgw.app.console.LiveStreams;
import dev.mecgw.app.registry.DeviceRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/**
 * The device page's live regions (issue 19): after the page has drawn the last hour, each committed reading of the
 * device arrives here as a server-sent event {@value LiveReadings#EVENT} ({@link LiveReadings}); its last raw
 * messages are sent again as {@value #RAW} whenever they changed since the version the page was rendered with
 * ({@code raw}), checked every live period (an in-memory read, no query).
 */
@Path("/console/devices/{id}/stream")
@Blocking
public class DeviceStream {

    /** The event carrying the raw messages fragment. */
    static final String RAW = "raw";

    /**
     * Sent once the stream is registered for the device's readings: the page loads the last hour only then, so a
     * reading committed between the page's render and this point is in that load, and every later one comes over
     * the stream (the page's sseOpen came too early for that: the browser may see the connection open before the
     * server registered it, and a reading committed in between was drawn by neither; soak run of 12-06 20:43).
     */
    static final String READY = "ready";

    private final DeviceRegistry registry;
    private final LiveStreams live;
    private final LiveReadings readings;
    private final RawMessageRing rawMessages;
    private final ConsolePages pages;

    public DeviceStream(DeviceSources sources, LiveStreams live, LiveReadings readings, ConsolePages pages) {
        this.registry = sources.registry();
        this.live = live;
        this.readings = readings;
        this.rawMessages = sources.rawMessages();
        this.pages = pages;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(
            @PathParam("id") String id,
            @QueryParam("raw") String rawSeen,
            @CookieParam(ConsoleAuthFilter.COOKIE) String token,
            @Context Sse sse) {
        if (registry.find(id).isEmpty()) {
            throw new NotFoundException("no device " + id);
        }
        return live.open(token, sse, new LiveRegion() {
            // Refreshes of one stream never overlap (LiveStream.refresh), so a plain field is enough.
            private String rawSent = rawSeen == null ? "" : rawSeen;

            @Override
            public void opened(LiveStream stream) {
                readings.watch(id, stream);
                stream.send(READY, "1");
            }

            @Override
            public void refresh(LiveStream stream) {
                String version = rawMessages.version(id);
                if (!version.equals(rawSent)) {
                    rawSent = version;
                    stream.send(
                            RAW,
                            pages.fragment("console/device-raw")
                                    .data("rawVersion", version)
                                    .data("rawMessages", rawMessages.of(id))
                                    .render());
                }
            }

            @Override
            public void closed(LiveStream stream) {
                readings.unwatch(id, stream);
            }
        });
    }
}
