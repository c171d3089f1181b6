package dev.mecgw.app.ota;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Firmware rollouts to devices in waves (issue 18, docs/ota.md). Every action leaves events. */
@Path("/api/v1/rollouts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "ota")
@SecurityRequirement(name = "adminToken")
@Blocking
public class RolloutResource {

    private final Rollouts rollouts;

    public RolloutResource(Rollouts rollouts) {
        this.rollouts = rollouts;
    }

    /** 201 with {@code id} and the rollout; its first wave is notified before the answer. */
    @POST
    public Response create(RolloutRequest request) {
        Rollout rollout = rollouts.create(request);
        return Response.created(URI.create("/api/v1/rollouts/" + rollout.id()))
                .entity(RolloutView.of(rollout))
                .build();
    }

    /** The newest rollouts first. */
    @GET
    public List<Map<String, Object>> list(@QueryParam("limit") @DefaultValue("50") int limit) {
        return rollouts.list(Math.min(limit, 500)).stream().map(RolloutView::of).toList();
    }

    /** The site's firmware signing key for provisioning devices: Ed25519, X.509 SubjectPublicKeyInfo in Base64. */
    @GET
    @Path("signing-key")
    public Map<String, Object> signingKey() {
        return Map.of(
                "algorithm", "Ed25519",
                "publicKey", rollouts.signingKey(),
                "signedText", "mecgw-firmware-v1\n<name>\n<version>\n<sha256 hex>");
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return RolloutView.of(rollouts.get(id));
    }

    @POST
    @Path("{id}/pause")
    public Map<String, Object> pause(@PathParam("id") String id) {
        return RolloutView.of(rollouts.pause(id));
    }

    @POST
    @Path("{id}/resume")
    public Map<String, Object> resume(@PathParam("id") String id) {
        return RolloutView.of(rollouts.resume(id));
    }

    @POST
    @Path("{id}/abort")
    public Map<String, Object> abort(@PathParam("id") String id) {
        return RolloutView.of(rollouts.abort(id));
    }

    @POST
    @Path("{id}/retry-failed")
    public Map<String, Object> retryFailed(@PathParam("id") String id) {
        return RolloutView.of(rollouts.retryFailed(id));
    }
}
