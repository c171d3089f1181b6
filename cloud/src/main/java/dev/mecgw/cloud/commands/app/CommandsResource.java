package dev.mecgw.cloud.commands.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mecgw.cloud.commands.Accepted;
import dev.mecgw.cloud.commands.CommandRequest;
import dev.mecgw.cloud.commands.CommandStatus;
import dev.mecgw.cloud.commands.CommandsConfig;
import dev.mecgw.cloud.problem.CloudException;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
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
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Commands and desired twin state for devices, sent on the site's downlink topic, and their status. */
@Path("/api/v1/sites/{siteId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
public class CommandsResource {

    @Inject
    DownlinkProducers downlink;

    @Inject
    CommandsConfig config;

    /** @return 202 with the command's id; 404 problem+json for a device the site has not replicated */
    @POST
    @Path("/devices/{deviceId}/commands")
    public Response command(
            @PathParam("siteId") String siteId,
            @PathParam("deviceId") String deviceId,
            @Valid @NotNull CommandRequest request) {
        JsonNode payload = request.payload() == null || request.payload().isNull()
                ? JsonNodeFactory.instance.objectNode()
                : request.payload();
        if (!payload.isObject()) {
            throw CloudException.badField("payload", "expected a JSON object");
        }
        Accepted accepted = downlink.downlink().command(siteId, deviceId, request.name(), payload, ttl(request.ttl()));
        return Response.accepted(accepted).build();
    }

    /** @return 202 with the message id and the desired-state version the site will apply */
    @PUT
    @Path("/devices/{deviceId}/twin/desired")
    public Response desired(
            @PathParam("siteId") String siteId, @PathParam("deviceId") String deviceId, @NotNull JsonNode desired) {
        if (!desired.isObject()) {
            throw CloudException.badField("$", "expected the desired state as a JSON object");
        }
        return Response.accepted(downlink.downlink().desired(siteId, deviceId, desired))
                .build();
    }

    /** @return the status of a command or desired-state message */
    @GET
    @Path("/commands/{id}")
    public CommandStatus status(@PathParam("siteId") String siteId, @PathParam("id") String id) {
        return downlink.downlink().status(siteId, id);
    }

    private Duration ttl(JsonNode ttl) {
        if (ttl == null || ttl.isNull()) {
            return config.defaultTtl();
        }
        Duration value;
        if (ttl.isIntegralNumber()) {
            value = Duration.ofSeconds(ttl.asLong());
        } else if (ttl.isTextual()) {
            try {
                value = Duration.parse(ttl.asText());
            } catch (DateTimeParseException e) {
                throw CloudException.badField("ttl", "expected seconds or an ISO-8601 duration such as PT10M");
            }
        } else {
            throw CloudException.badField("ttl", "expected seconds or an ISO-8601 duration such as PT10M");
        }
        if (value.isNegative() || value.isZero() || value.compareTo(config.maxTtl()) > 0) {
            throw CloudException.badField("ttl", "must be positive and at most " + config.maxTtl());
        }
        return value;
    }
}
