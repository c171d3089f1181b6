package dev.mecgw.app.ran.app;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.ran.IdentityCheckRequest;
import dev.mecgw.app.ran.IdentityCheckResult;
import dev.mecgw.app.ran.QosRequest;
import dev.mecgw.app.ran.RanNetwork;
import dev.mecgw.ran.identity.IdentityDecision;
import dev.mecgw.ran.presence.NetworkState;
import dev.mecgw.ran.qos.QosDemand;
import dev.mecgw.ran.qos.QosOnDemand;
import dev.mecgw.ran.qos.QosStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Operator API of the 5G network integration: network state of devices, SIM identity checks, zero-touch
 * secrets and QoS on demand. Answers 503 when the integration is disabled.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "ran")
@SecurityRequirement(name = "adminToken")
public class RanResource {

    private final RanNetwork ran;

    public RanResource(RanNetwork ran) {
        this.ran = ran;
    }

    /**
     * What the network last reported about a device (reachability, cell, tracking area). Under
     * {@code /ran}: {@code /api/v1/devices/{id}/...} belongs to the registry's resource.
     */
    @GET
    @Path("ran/devices/{id}/network")
    public NetworkState network(@PathParam("id") String id) {
        return ran.presence()
                .orElseThrow(RanResource::disabled)
                .state(id)
                .orElseThrow(() -> GatewayException.notFound("Network state of device " + id));
    }

    /** Runs the SIM identity check for a UE address, as the MQTT/CoAP front-ends do on connect. */
    @POST
    @Path("ran/identity-checks")
    public IdentityCheckResult check(@NotNull(message = "a JSON body is required") @Valid IdentityCheckRequest body) {
        InetAddress address = literal(body.ueAddress());
        IdentityDecision decision;
        try {
            decision = ran.identity()
                    .orElseThrow(RanResource::disabled)
                    .check(address, body.deviceId())
                    .join();
        } catch (CompletionException e) {
            throw new GatewayException(ErrorKind.UNAVAILABLE, "identity check failed", e);
        }
        if (decision.outcome() == IdentityDecision.Outcome.ACCEPTED
                || decision.outcome() == IdentityDecision.Outcome.ONBOARDED) {
            ran.admitted(decision.deviceId(), address);
        }
        return new IdentityCheckResult(
                decision.outcome().name(),
                decision.deviceId(),
                decision.reason(),
                decision.policy() == null ? null : decision.policy().slice().toString());
    }

    /** The password issued to a zero-touch device; answers once, then 404. */
    @GET
    @Path("ran/onboarding/{id}/secret")
    public Response onboardingSecret(@PathParam("id") String id) {
        String password = ran.registry()
                .orElseThrow(RanResource::disabled)
                .takeOnboardingSecret(id)
                .orElseThrow(() -> GatewayException.notFound("Unfetched onboarding secret of device " + id));
        return Response.ok(Map.of("deviceId", id, "password", password))
                .header("Cache-Control", "no-store")
                .build();
    }

    /** Asks for QoS for a device's flows for a bounded time; 202 with the demand's status. */
    @POST
    @Path("ran/qos")
    public Response requestQos(@NotNull(message = "a JSON body is required") @Valid QosRequest body) {
        literal(body.ueIpv4());
        QosStatus status = qos().request(new QosDemand(
                body.deviceId(),
                body.ueIpv4(),
                body.flowDescriptions(),
                body.qosReference(),
                Duration.ofSeconds(body.durationSeconds())));
        return Response.accepted(status).build();
    }

    /** Status of a device's QoS demand. */
    @GET
    @Path("ran/qos/{id}")
    public QosStatus qosStatus(@PathParam("id") String id) {
        return qos().status(id).orElseThrow(() -> GatewayException.notFound("QoS demand of device " + id));
    }

    /** Releases a device's QoS now. */
    @DELETE
    @Path("ran/qos/{id}")
    public Response releaseQos(@PathParam("id") String id) {
        if (!qos().release(id)) {
            throw GatewayException.notFound("QoS demand of device " + id);
        }
        return Response.noContent().build();
    }

    private QosOnDemand qos() {
        return ran.qos().orElseThrow(RanResource::disabled);
    }

    private static GatewayException disabled() {
        return new GatewayException(ErrorKind.UNAVAILABLE, "5G network integration is not enabled or has no NEF");
    }

    /** Parses an IP literal; never a DNS lookup. */
    static InetAddress literal(String text) {
        if (text == null
                || !(text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || text.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*"))) {
            throw GatewayException.badField("ueAddress", "must be an IPv4 or IPv6 address");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw GatewayException.badField("ueAddress", "must be an IPv4 or IPv6 address");
        }
    }
}
