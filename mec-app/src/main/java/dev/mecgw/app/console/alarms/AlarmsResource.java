package dev.mecgw.app.console.alarms;

import dev.mecgw.app.console.ConsoleAuthFilter;
import dev.mecgw.app.console.ConsolePages;
import dev.mecgw.app.console.ConsoleUser;
import dev.mecgw.app.console.LiveRegion;
import dev.mecgw.app.console.LiveStream;
import dev.mecgw.app.console.LiveStreams;
import dev.mecgw.app.console.OperatorOnly;
import dev.mecgw.app.events.Alarms;
import dev.mecgw.app.events.EventFilter;
import dev.mecgw.app.events.EventQuery;
import dev.mecgw.app.events.StoredEvent;
import io.quarkus.csrf.reactive.runtime.CsrfTokenParameterProvider;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The alarms screen (issue 19): "what is wrong now" in large type, the event list filtered by severity, state and
 * acknowledgement, and the operator actions acknowledge and clear. The live region is pushed over server-sent
 * events ({@code /console/alarms/stream}, same filters); {@code /console/alarms/live} renders it once. {@link Alarms} stores who acted and records the operator event.
 */
@Path("/console/alarms")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class AlarmsResource {

    static final String EVENT = "alarms";

    /** Groups shown in "what is wrong now". */
    static final int GROUPS = 12;

    private final ConsolePages pages;
    private final Alarms alarms;
    private final LiveStreams live;
    private final CsrfTokenParameterProvider csrf;

    public AlarmsResource(ConsolePages pages, Alarms alarms, LiveStreams live, CsrfTokenParameterProvider csrf) {
        this.pages = pages;
        this.alarms = alarms;
        this.live = live;
        this.csrf = csrf;
    }

    @GET
    public TemplateInstance page(@BeanParam EventFilter filter, @Context SecurityContext security) {
        ConsoleUser user = ConsoleUser.of(security);
        // The live region is rendered once, into the page and into the fingerprint its stream starts from.
        String region =
                live(pages.fragment("console/alarms-live"), filter, user).render();
        return pages.page("console/alarms", "alarms", user)
                .data("view", AlarmsView.of(filter))
                .data("region", region)
                .data("shown", LiveStream.fingerprint(region));
    }

    /** The live region alone, swapped in by htmx every few seconds. */
    @GET
    @Path("live")
    public TemplateInstance live(@BeanParam EventFilter filter, @Context SecurityContext security) {
        return live(pages.fragment("console/alarms-live"), filter, ConsoleUser.of(security));
    }

    /**
     * The live region as server-sent events ({@value #EVENT}) for htmx's SSE extension, sent again only when it
     * changed. Rendered off the request, so the forms get the page's CSRF token taken here.
     */
    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(
            @BeanParam EventFilter filter,
            @CookieParam(ConsoleAuthFilter.COOKIE) String token,
            @QueryParam("shown") String shown,
            @Context SecurityContext security,
            @Context Sse sse) {
        ConsoleUser user = ConsoleUser.of(security);
        String csrfName = csrf.getParameterName();
        String csrfToken = csrf.getToken();
        return live.open(
                token,
                sse,
                LiveRegion.showing(
                        EVENT,
                        shown,
                        () -> live(pages.fragment("console/alarms-live"), filter, user)
                                .data("csrfName", csrfName)
                                .data("csrfToken", csrfToken)
                                .render()));
    }

    @POST
    @Path("{id}/acknowledge")
    @OperatorOnly
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response acknowledge(
            @PathParam("id") long id, @FormParam("back") String back, @Context SecurityContext security) {
        alarms.acknowledge(id, ConsoleUser.of(security).name(), Optional.empty());
        return back(back);
    }

    @POST
    @Path("{id}/clear")
    @OperatorOnly
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response clear(@PathParam("id") long id, @FormParam("back") String back, @Context SecurityContext security) {
        alarms.clear(id, ConsoleUser.of(security).name(), Optional.empty());
        return back(back);
    }

    private TemplateInstance live(TemplateInstance page, EventFilter filter, ConsoleUser user) {
        AlarmsView view = AlarmsView.of(filter);
        EventQuery query = view.filter().toQuery();
        List<StoredEvent> events = alarms.list(query);
        return page.data("user", user)
                .data("view", view)
                .data("summary", alarms.summary(GROUPS))
                .data("events", events);
    }

    /** Back to the list the operator acted from; only a console alarms path, never another site. */
    private static Response back(String back) {
        String target =
                back != null && back.startsWith("/console/alarms") && !back.contains("//") ? back : "/console/alarms";
        return Response.seeOther(URI.create(target)).build();
    }
}
