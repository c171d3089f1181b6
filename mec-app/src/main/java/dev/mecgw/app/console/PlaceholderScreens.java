package dev.mecgw.app.console;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * The navigation's screens that have no resource of their own yet. A screen's own resource with a literal
 * {@code @Path("/console/<screen>")} takes precedence over this template path (JAX-RS prefers more literal
 * characters), so a new screen needs no change here.
 */
@Path("/console/{screen: alarms|cameras|updates|sync}")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class PlaceholderScreens {

    private final ConsolePages pages;

    public PlaceholderScreens(ConsolePages pages) {
        this.pages = pages;
    }

    @GET
    public TemplateInstance screen(@PathParam("screen") String screen, @Context SecurityContext security) {
        return pages.page("console/placeholder", screen, ConsoleUser.of(security));
    }
}
