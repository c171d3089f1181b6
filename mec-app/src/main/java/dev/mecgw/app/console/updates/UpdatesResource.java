package dev.mecgw.app.console.updates;

import dev.mecgw.app.artifacts.ArtifactStore;
import dev.mecgw.app.console.ConsoleEvents;
import dev.mecgw.app.console.ConsolePages;
import dev.mecgw.app.console.ConsoleUser;
import dev.mecgw.app.console.OperatorOnly;
import dev.mecgw.app.ota.Rollout;
import dev.mecgw.app.ota.Rollouts;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.Map;
import java.util.function.Function;

/**
 * The updates screen (issue 19): firmware rollouts with their waves and each device's state, the operator actions
 * pause, resume and abort (each an operator event {@code console.rollout.<action>}), and the stored artifacts. The
 * live region polls {@code /console/updates/live}.
 */
@Path("/console/updates")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class UpdatesResource {

    /** Rollouts shown, newest first. */
    static final int ROLLOUTS = 20;

    private final ConsolePages pages;
    private final Rollouts rollouts;
    private final ArtifactStore artifacts;
    private final ConsoleEvents events;

    public UpdatesResource(ConsolePages pages, Rollouts rollouts, ArtifactStore artifacts, ConsoleEvents events) {
        this.pages = pages;
        this.rollouts = rollouts;
        this.artifacts = artifacts;
        this.events = events;
    }

    @GET
    public TemplateInstance page(@Context SecurityContext security) {
        ConsoleUser user = ConsoleUser.of(security);
        return live(pages.page("console/updates", "updates", user), user);
    }

    /** The live region alone, swapped in by htmx every few seconds. */
    @GET
    @Path("live")
    public TemplateInstance live(@Context SecurityContext security) {
        return live(pages.fragment("console/updates-live"), ConsoleUser.of(security));
    }

    /** Pause, resume or abort (and roll back) a rollout. */
    @POST
    @Path("{id}/{action: pause|resume|abort}")
    @OperatorOnly
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response act(
            @PathParam("id") String id, @PathParam("action") String action, @Context SecurityContext security) {
        return switch (action) {
            case "pause" -> act(id, "paused", rollouts::pause, security);
            case "resume" -> act(id, "resumed", rollouts::resume, security);
            default -> act(id, "aborted", rollouts::abort, security);
        };
    }

    private Response act(String id, String done, Function<String, Rollout> action, SecurityContext security) {
        ConsoleUser user = ConsoleUser.of(security);
        Rollout rollout = action.apply(id);
        events.record(
                user,
                "rollout." + done,
                null,
                Map.of("rollout", id, "state", rollout.state().name().toLowerCase(java.util.Locale.ROOT)));
        return Response.seeOther(URI.create("/console/updates#rollout-" + id)).build();
    }

    private TemplateInstance live(TemplateInstance page, ConsoleUser user) {
        return page.data("user", user).data("rollouts", rollouts.list(ROLLOUTS)).data("artifacts", artifacts.list());
    }
}
