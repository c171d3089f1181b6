package dev.mecgw.app.console.devices;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.console.ConsoleEvents;
import dev.mecgw.app.console.ConsoleUser;
import dev.mecgw.app.console.OperatorOnly;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.twin.CommandDispatcher;
import dev.mecgw.app.twin.DeviceCommand;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * The device page's "send command" form: the same path as {@code POST /api/v1/devices/{id}/commands} (stored, then
 * handed to MQTT and CoAP by the {@link CommandDispatcher}); the operator sees the page again once it is stored. The
 * payload box takes "JSON or text" as the REST API's {@code payload} does: a JSON value goes as typed, other text as
 * a JSON string, an empty box as {@code null}; text that opens a JSON object, array or string must be valid JSON, and
 * a payload the command store cannot keep is a 400 problem naming {@code payload}, with nothing stored (review r8).
 */
@Path("/console/devices/{id}/commands")
@Blocking
public class DeviceCommandAction {

    /** The REST API's rule for a command name ({@code CommandRequest}): it becomes one MQTT topic level. */
    private static final Pattern NAME = Pattern.compile("[^/+#\\u0000]{1,128}");
    /** First characters of text meant as JSON, so that a typo in it is refused rather than sent as a string. */
    private static final String OPENS_JSON = "{[\"";

    private final DeviceRegistry registry;
    private final CommandDispatcher commands;
    private final ConsoleEvents events;
    private final ObjectMapper json;

    public DeviceCommandAction(
            DeviceRegistry registry, CommandDispatcher commands, ConsoleEvents events, ObjectMapper json) {
        this.registry = registry;
        this.commands = commands;
        this.events = events;
        this.json = json;
    }

    @POST
    @OperatorOnly
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response send(
            @PathParam("id") String id,
            @FormParam("name") String name,
            @FormParam("payload") String payload,
            @Context SecurityContext security)
            throws InterruptedException {
        if (registry.find(id).isEmpty()) {
            throw new NotFoundException("no device " + id);
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new BadRequestException("name: one MQTT topic level (no '/', '+' or '#'), 1..128 characters");
        }
        String commandId = UUID.randomUUID().toString();
        byte[] body = payload(payload);
        try {
            commands.issue(new DeviceCommand(id, commandId, name, body, Instant.now()))
                    .toCompletableFuture()
                    .get();
        } catch (ExecutionException e) {
            throw new ServiceUnavailableException("command not stored, try again");
        }
        events.record(ConsoleUser.of(security), "command", id, Map.of("name", name, "commandId", commandId));
        return Response.seeOther(URI.create("/console/devices/" + id + "?sent=" + commandId))
                .build();
    }

    /** The box's text as the REST API's {@code payload} would carry it (class comment); the dispatcher checks it. */
    private byte[] payload(String typed) {
        String text = typed == null ? "" : typed.strip();
        if (text.isEmpty()) {
            return "null".getBytes(StandardCharsets.UTF_8);
        }
        if (OPENS_JSON.indexOf(text.charAt(0)) >= 0 || isJson(text)) {
            return typed.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return json.writeValueAsBytes(typed);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always serializes", e);
        }
    }

    private boolean isJson(String text) {
        try {
            json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
