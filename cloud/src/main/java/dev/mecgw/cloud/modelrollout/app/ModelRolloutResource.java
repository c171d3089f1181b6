package dev.mecgw.cloud.modelrollout.app;

import dev.mecgw.cloud.modelrollout.ModelRolloutView;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Model rollouts across sites (docs/ota.md, "Model rollouts across sites"): list, view, pause, resume, abort. The
 * {@code POST} that creates one is answered by {@link ModelUploadRoute} before JAX-RS, the one body of the API allowed
 * above the global body limit.
 */
@Path("/api/v1/model-rollouts")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ModelRolloutResource {

    @Inject
    ModelRolloutProducers producers;

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
}
