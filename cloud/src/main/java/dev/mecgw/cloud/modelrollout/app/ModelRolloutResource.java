package dev.mecgw.cloud.modelrollout.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.cloud.modelrollout.ModelRolloutView;
import dev.mecgw.cloud.problem.CloudException;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Model rollouts across sites (docs/ota.md, "Model rollouts across sites"). {@code POST} takes
 * {@code multipart/form-data} with a {@code model} part (ONNX bytes) and a {@code rollout} part (JSON: metadata,
 * selector, waves, healthWindow, siteTimeout, maxFailedSites, gate).
 */
@Path("/api/v1/model-rollouts")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ModelRolloutResource {

    @Inject
    ModelRolloutProducers producers;

    @Inject
    ObjectMapper json;

    /** @return 201 with the rollout and its planned waves; 400 problem+json naming the field */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response create(@RestForm("rollout") String rollout, @RestForm("model") FileUpload model, UriInfo uri) {
        if (rollout == null || rollout.isBlank()) {
            throw CloudException.badField("rollout", "the rollout part (JSON) is required");
        }
        JsonNode request;
        try {
            request = json.readTree(rollout);
        } catch (JsonProcessingException e) {
            throw CloudException.badField(
                    "rollout", "not JSON (line " + e.getLocation().getLineNr() + ")");
        }
        ModelRolloutView created = producers.rollouts().create(request, read(model));
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build())
                .entity(created)
                .build();
    }

    @GET
    public List<ModelRolloutView> list() {
        return producers.rollouts().list();
    }

    @GET
    @Path("{id}")
    public ModelRolloutView get(@PathParam("id") String id) {
        return producers.rollouts().view(id);
    }

    /** No further wave starts; sites already sent to finish. 409 unless running. */
    @POST
    @Path("{id}/pause")
    public ModelRolloutView pause(@PathParam("id") String id) {
        return producers.rollouts().pause(id, "paused by operator");
    }

    /** 409 unless paused. */
    @POST
    @Path("{id}/resume")
    public ModelRolloutView resume(@PathParam("id") String id) {
        return producers.rollouts().resume(id);
    }

    /** Cancels downloads and reverts sites that installed the model. 409 when already over. */
    @POST
    @Path("{id}/abort")
    public ModelRolloutView abort(@PathParam("id") String id) {
        return producers.rollouts().abort(id, "aborted by operator");
    }

    private static byte[] read(FileUpload model) {
        if (model == null) {
            return null;
        }
        try {
            return Files.readAllBytes(model.uploadedFile());
        } catch (IOException e) {
            throw CloudException.unavailable("The upload could not be read", e);
        }
    }
}
