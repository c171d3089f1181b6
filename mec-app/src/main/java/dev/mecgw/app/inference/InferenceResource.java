package dev.mecgw.app.inference;

import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.inference.vision.CameraFrame;
import dev.mecgw.inference.vision.VisionPipeline;
import dev.mecgw.inference.vision.VisionStats;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Direct input to the vision pipeline (cameras that push over HTTP; MQTT and CoAP frames take the same
 * path in-process) and its counters. Submitting never blocks: the frame is queued and the call returns 202.
 */
@Path("/api/v1/inference")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "inference")
@SecurityRequirement(name = "adminToken")
public class InferenceResource {

    private static final int MAX_FRAME_BYTES = 8 * 1024 * 1024;

    private final VisionPipeline vision;

    public InferenceResource(VisionPipeline vision) {
        this.vision = vision;
    }

    @POST
    @Path("frames/{cameraId}")
    @Consumes({"image/jpeg", "image/png", MediaType.APPLICATION_OCTET_STREAM})
    public Response frame(@PathParam("cameraId") String cameraId, byte[] body) {
        if (body == null || body.length == 0) {
            throw GatewayException.badField("$", "the body must hold one JPEG or PNG frame");
        }
        if (body.length > MAX_FRAME_BYTES) {
            throw GatewayException.badField("$", "frames are limited to " + MAX_FRAME_BYTES + " bytes");
        }
        vision.submit(new CameraFrame(cameraId, body, Instant.now()));
        return Response.accepted().build();
    }

    @GET
    @Path("vision/stats")
    public VisionStats stats() {
        return vision.stats();
    }
}
