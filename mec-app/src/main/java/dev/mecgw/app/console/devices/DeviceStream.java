package dev.mecgw.app.console.devices;

import dev.mecgw.app.console.ConsoleAuthFilter;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/**
 * The device page's live chart (issue 19): after the page has drawn the last hour, each committed reading of the
 * device arrives here as a server-sent event {@value LiveReadings#EVENT} ({@link LiveReadings}).
 */
@Path("/console/devices/{id}/stream")
@Blocking
public class DeviceStream {

    private final DeviceRegistry registry;
    private final LiveStreams live;
    private final LiveReadings readings;

    public DeviceStream(DeviceRegistry registry, LiveStreams live, LiveReadings readings) {
        this.registry = registry;
        this.live = live;
        this.readings = readings;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(
            @PathParam("id") String id, @CookieParam(ConsoleAuthFilter.COOKIE) String token, @Context Sse sse) {
        if (registry.find(id).isEmpty()) {
            throw new NotFoundException("no device " + id);
        }
        return live.open(token, sse, new LiveRegion() {
            @Override
            public void opened(LiveStream stream) {
                readings.watch(id, stream);
            }

            @Override
            public void closed(LiveStream stream) {
                readings.unwatch(id, stream);
            }
        });
    }
}
