package dev.mecgw.app.console.devices;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.console.ConsoleEvents;
import dev.mecgw.app.console.ConsoleUser;
import dev.mecgw.app.console.OperatorOnly;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.twin.DesiredTwin;
import dev.mecgw.app.twin.DesiredTwinPush;
import dev.mecgw.app.twin.TwinStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The device page's "edit desired state" form (issue 19, operators): the same path as
 * {@code PUT /api/v1/devices/{id}/twin/desired}: stored with a new version, offered to CoAP observers and sent
 * retained on the device's MQTT {@code twin/desired} topic; the page shows again once the broker stored it. The
 * action is the event {@code console.desired.changed} naming the user and the new version.
 */
@Path("/console/devices/{id}/desired")
@Blocking
public class DeviceDesiredAction {

    /** Largest desired document the form takes, in characters. */
    static final int MAX_LENGTH = 64 * 1024;

    private final DeviceRegistry registry;
    private final TwinStore twins;
    private final DesiredTwinPush desiredPush;
    private final ObjectMapper json;
    private final ConsoleEvents events;

    public DeviceDesiredAction(
            DeviceRegistry registry,
            TwinStore twins,
            DesiredTwinPush desiredPush,
            ObjectMapper json,
            ConsoleEvents events) {
        this.registry = registry;
        this.twins = twins;
        this.desiredPush = desiredPush;
        this.json = json;
        this.events = events;
    }

    @POST
    @OperatorOnly
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(
            @PathParam("id") String id, @FormParam("desired") String desired, @Context SecurityContext security)
            throws InterruptedException {
        if (registry.find(id).isEmpty()) {
            throw new NotFoundException("no device " + id);
        }
        JsonNode document = parse(desired);
        long version = twins.setDesired(id, document);
        byte[] bytes = document.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            desiredPush
                    .push(new DesiredTwin(id, version, bytes))
                    .toCompletableFuture()
                    .get();
        } catch (ExecutionException e) {
            throw new ServiceUnavailableException("desired state stored, not yet sent to MQTT; save again");
        }
        events.record(ConsoleUser.of(security), "desired.changed", id, Map.of("version", version));
        return Response.seeOther(URI.create("/console/devices/" + id + "?desired=" + version))
                .build();
    }

    private JsonNode parse(String desired) {
        if (desired == null || desired.isBlank() || desired.length() > MAX_LENGTH) {
            throw new BadRequestException("desired: a JSON object of at most " + MAX_LENGTH + " characters");
        }
        try {
            JsonNode document = json.readTree(desired);
            if (document != null && document.isObject()) {
                return document;
            }
        } catch (JsonProcessingException e) {
            // answered below, without echoing the parser's message
        }
        throw new BadRequestException("desired: a JSON object, e.g. {\"interval\": 10}");
    }
}
