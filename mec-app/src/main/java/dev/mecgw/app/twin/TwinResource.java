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
    private final DeviceMessenger messenger;
    private final ObjectMapper json;
    private final DeviceUpdatePublisher coapUpdates;

    public TwinResource(
            DeviceRegistry registry,
            TwinStore twins,
            DeviceMessenger messenger,
            ObjectMapper json,
            DeviceUpdatePublisher coapUpdates) {
        this.registry = registry;
        this.twins = twins;
        this.messenger = messenger;
        this.json = json;
        this.coapUpdates = coapUpdates;
    }

    /**
     * Answers 202 only once the command is durable for an offline persistent session (issue #3), without
     * holding a thread while the broker stores it; 503 when it could not be stored.
     */
    @POST
    @Path("commands")
    @Blocking
    public CompletionStage<Response> command(
            @PathParam("id") String id, @NotNull(message = "a JSON body is required") @Valid CommandRequest body) {
        requireDevice(id);
        byte[] payload = bytes(body.payload());
        String commandId = UUID.randomUUID().toString();
        String topic = DeviceTopic.of(id, "commands/" + body.name());
        return whenStored(messenger.send(topic, payload, 1, false), "Command", () -> {
            // CoAP devices observing /commands get the same command.
            coapUpdates.publishCommand(new DeviceCommand(id, commandId, body.name(), payload, Instant.now()));
            return Response.accepted(Map.of("topic", topic, "commandId", commandId))
                    .build();
        });
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
        byte[] desired = bytes(body);
        coapUpdates.publishDesired(new DesiredTwin(id, version, desired));
        JsonNode twin = twins.get(id);
        return whenStored(
                messenger.send(DeviceTopic.of(id, "twin/desired"), desired, 1, true),
                "Desired twin message",
                () -> twin);
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
