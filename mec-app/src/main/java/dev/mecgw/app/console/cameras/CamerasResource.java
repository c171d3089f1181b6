package dev.mecgw.app.console.cameras;

import dev.mecgw.app.console.ConsoleEvents;
import dev.mecgw.app.console.ConsolePages;
import dev.mecgw.app.console.ConsoleUser;
import dev.mecgw.app.console.OperatorOnly;
import dev.mecgw.app.inference.CameraOverview;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.model.ModelRegistry;
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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cameras screen (issue 19): each camera's newest frame as a thumbnail with its detection boxes drawn over it
 * (an SVG whose view box is the frame's size, so boxes in frame pixels scale with the image), detections per
 * second, and each model's current version with its p50/p99 run latency and the stored versions an operator may
 * roll back to (event {@code console.model.activated}). The live region polls {@code /console/cameras/live}.
 */
@Path("/console/cameras")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class CamerasResource {

    /** Cameras whose newest result is younger than this are shown. */
    static final Duration WINDOW = Duration.ofHours(24);

    /** The period detections per second are averaged over. */
    static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    static final int CAMERAS = 48;

    private final ConsolePages pages;
    private final CameraOverview cameras;
    private final ModelRegistry models;
    private final ConsoleEvents events;

    public CamerasResource(ConsolePages pages, CameraOverview cameras, ModelRegistry models, ConsoleEvents events) {
        this.pages = pages;
        this.cameras = cameras;
        this.models = models;
        this.events = events;
    }

    @GET
    public TemplateInstance page(@Context SecurityContext security) {
        ConsoleUser user = ConsoleUser.of(security);
        return live(pages.page("console/cameras", "cameras", user), user);
    }

    /** The live region alone, swapped in by htmx every few seconds. */
    @GET
    @Path("live")
    public TemplateInstance live(@Context SecurityContext security) {
        return live(pages.fragment("console/cameras-live"), ConsoleUser.of(security));
    }

    /** A thumbnail a vision event names; only files inside the thumbnails folder are served. */
    @GET
    @Path("thumbnails/{file: .+}")
    @Produces("image/jpeg")
    public Response thumbnail(@PathParam("file") String file) {
        return cameras.thumbnail(file)
                .map(path -> Response.ok(path.toFile())
                        .header("Cache-Control", "private, max-age=3600")
                        .build())
                .orElse(Response.status(Response.Status.NOT_FOUND).build());
    }

    /** Makes a stored version of a model current again: roll back (or forward). */
    @POST
    @Path("models/{name}/versions/{version}/activate")
    @OperatorOnly
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response activate(
            @PathParam("name") String name, @PathParam("version") String version, @Context SecurityContext security) {
        String previous = models.current(name).map(ModelMetadata::version).orElse(null);
        models.activate(name, version);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("model", name);
        details.put("version", version);
        details.put("previous", previous);
        events.record(ConsoleUser.of(security), "model.activated", null, details);
        return Response.seeOther(URI.create("/console/cameras#model-" + name)).build();
    }

    /** Events and objects per second with two decimals, as the tiles show them. */
    private static Map<String, String> rate(CameraOverview.DetectionRate rate) {
        return Map.of(
                "events", String.format(Locale.ROOT, "%.2f", rate.eventsPerSecond()),
                "objects", String.format(Locale.ROOT, "%.2f", rate.objectsPerSecond()));
    }

    private TemplateInstance live(TemplateInstance page, ConsoleUser user) {
        List<ModelView> modelViews = cameras.models().stream()
                .map(m -> new ModelView(m, models.versions(m.name())))
                .toList();
        return page.data("user", user)
                .data(
                        "cameras",
                        cameras.latest(WINDOW, CAMERAS).stream()
                                .map(CameraView::new)
                                .toList())
                .data("rate", rate(cameras.rate(RATE_WINDOW)))
                .data("models", modelViews);
    }
}
