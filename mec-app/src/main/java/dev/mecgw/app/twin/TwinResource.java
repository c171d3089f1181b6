package dev.mecgw.app.twin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.acl.DeviceTopic;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.DeviceRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Cloud-to-device: commands (QoS 1, queued for offline sessions) and the twin (desired is retained). */
@Path("/api/v1/devices/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "twin")
@SecurityRequirement(name = "adminToken")
public class TwinResource {

    private final DeviceRegistry registry;
    private final TwinStore twins;
    private final DesiredTwinPush desiredPush;
    private final ObjectMapper json;
    private final CommandDispatcher commands;

    public TwinResource(
            DeviceRegistry registry,
            TwinStore twins,
            DesiredTwinPush desiredPush,
            ObjectMapper json,
            CommandDispatcher commands) {
        this.registry = registry;
        this.twins = twins;
        this.desiredPush = desiredPush;
        this.json = json;
        this.commands = commands;
    }

    /**
     * Answers 202 only once the command is durable for an offline persistent session (issue #3), without
     * holding a thread while the broker stores it; 503 when it could not be stored. Its status is tracked like a
     * cloud command's (issue 17, docs/commands.md).
     */
    @POST
    @Path("commands")
    @Blocking
    public CompletionStage<Response> command(
            @PathParam("id") String id, @NotNull(message = "a JSON body is required") @Valid CommandRequest body) {
        requireDevice(id);
        byte[] payload = bytes(body.payload());
        String commandId = UUID.randomUUID().toString();
        String topic = DeviceTopic.command(id, body.name());
        DeviceCommand command = new DeviceCommand(id, commandId, body.name(), payload, Instant.now());
        // The dispatcher hands it to MQTT and, once stored there, to CoAP devices observing /commands.
        return whenStored(
                commands.issue(command),
                "Command",
                () -> Response.accepted(Map.of("topic", topic, "commandId", commandId))
                        .build());
    }

    /** The status of a command issued to the device, from REST or the cloud: {@code {"id","status","reason"}}. */
    @GET
    @Path("commands/{commandId}")
    public CommandStatus commandStatus(@PathParam("id") String id, @PathParam("commandId") String commandId) {
        return commands.status(id, commandId)
                .orElseThrow(() -> GatewayException.notFound("Command " + commandId + " of device " + id));
    }

    /** Answers once the retained desired document is stored too, so a device subscribing after a crash gets it. */
    @PUT
    @Path("twin/desired")
    @Blocking
    public CompletionStage<JsonNode> desired(
            @PathParam("id") String id, @NotNull(message = "a JSON body is required") JsonNode body) {
        if (!body.isObject()) {
            throw GatewayException.badField("$", "desired twin must be a JSON object");
        }
        requireDevice(id);
        long version = twins.setDesired(id, body);
        CompletionStage<Void> sent = desiredPush.push(new DesiredTwin(id, version, bytes(body)));
        JsonNode twin = twins.get(id);
        return whenStored(sent, "Desired twin message", () -> twin);
    }

    /** The answer once the broker stored what it must keep; 503 (unavailable) when it could not. */
    private static <T> CompletionStage<T> whenStored(CompletionStage<Void> sent, String what, Supplier<T> answer) {
        CompletableFuture<T> result = new CompletableFuture<>();
        sent.whenComplete((stored, failure) -> {
            if (failure != null) {
                result.completeExceptionally(
                        new GatewayException(ErrorKind.UNAVAILABLE, what + " not stored, try again", failure));
                return;
            }
            try {
                result.complete(answer.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @GET
    @Path("twin")
    public JsonNode twin(@PathParam("id") String id) {
        return twins.get(id);
    }

    private void requireDevice(String id) {
        if (registry.find(id).isEmpty()) {
            throw GatewayException.notFound("Device " + id);
        }
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node == null ? json.nullNode() : node);
        } catch (JsonProcessingException e) {
            throw new GatewayException(ErrorKind.INTERNAL, "Payload not serializable", e);
        }
    }
}
