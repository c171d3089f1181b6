package dev.mecgw.app.console.overview;

import dev.mecgw.app.console.ConsolePages;
import dev.mecgw.app.console.ConsoleUser;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** The console's landing screen: the site at a glance. */
@Path("/console")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class OverviewResource {

    private final ConsolePages pages;

    public OverviewResource(ConsolePages pages) {
        this.pages = pages;
    }

    @GET
    public TemplateInstance overview(@Context SecurityContext security) {
        return pages.page("console/overview", "overview", ConsoleUser.of(security));
    }
}
