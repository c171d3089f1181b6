package dev.mecgw.app.ran.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mecgw.app.ran.RanNetwork;
import dev.mecgw.ran.callback.CallbackInbox;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Where the NEF and the MEC platform deliver notifications. Outside {@code /api}: the capability token in
 * the path (see {@link CallbackInbox}) authenticates the sender, not the admin token. Blocking (presence
 * updates use JDBC), so it runs on worker threads.
 */
@Path("/ran/callbacks/{callbackId}/{token}")
@Tag(name = "ran")
public class RanCallbackResource {

    private final RanNetwork ran;

    public RanCallbackResource(RanNetwork ran) {
        this.ran = ran;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Network notification (TS 29.122, ETSI MEC 011/012); 204 accepted, 400 malformed, 404 unknown")
    public Response notify(
            @PathParam("callbackId") String callbackId, @PathParam("token") String token, JsonNode body) {
        CallbackInbox.Outcome outcome =
                ran.inbox().map(inbox -> inbox.accept(callbackId, token, body)).orElse(CallbackInbox.Outcome.UNKNOWN);
        return switch (outcome) {
            case ACCEPTED -> Response.noContent().build();
            case MALFORMED -> Response.status(Response.Status.BAD_REQUEST).build();
            case UNKNOWN -> Response.status(Response.Status.NOT_FOUND).build();
        };
    }
}
