package dev.mecgw.app.console.sync;

import dev.mecgw.app.console.ConsolePages;
import dev.mecgw.app.console.ConsoleUser;
import dev.mecgw.app.sync.CloudSync;
import dev.mecgw.app.sync.SyncStatus;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * The sync screen (issue 19): the backhaul's state, lag, last success and disk alarm, the backlog of each priority
 * class, and the timeline of the link's ups and downs from the event log ({@code sync.*} events, which outlive a
 * restart). The live region polls {@code /console/sync/live}.
 */
@Path("/console/sync")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class SyncResource {

    /** Timeline entries shown, newest first. */
    static final int TIMELINE = 30;

    private final ConsolePages pages;
    private final CloudSync sync;
    private final SyncTimelineQuery timeline;
    private final Clock clock = Clock.systemUTC();

    public SyncResource(ConsolePages pages, CloudSync sync, DataSource dataSource) {
        this.pages = pages;
        this.sync = sync;
        this.timeline = new SyncTimelineQuery(dataSource);
    }

    @GET
    public TemplateInstance page(@Context SecurityContext security) {
        return live(pages.page("console/sync", "sync", ConsoleUser.of(security)));
    }

    /** The live region alone, swapped in by htmx every few seconds. */
    @GET
    @Path("live")
    public TemplateInstance live(@Context SecurityContext security) {
        ConsoleUser.of(security);
        return live(pages.fragment("console/sync-live"));
    }

    private TemplateInstance live(TemplateInstance page) {
        SyncStatus status = sync.status();
        Instant now = clock.instant();
        List<SyncClassView> classes = SyncClassView.CLASSES.stream()
                .map(c -> SyncClassView.of(c, sync.backlogEstimate(c), sync.backlogBytes(c), now))
                .toList();
        // Durations and optionals become text here: templates read only our own types.
        return page.data("status", status)
                .data("backhaulUp", status.backhaul() == dev.mecgw.sync.backhaul.BackhaulState.UP)
                .data("lagSeconds", status.replicationLag().toSeconds())
                .data("lastSuccess", status.lastSuccess().map(Instant::toString).orElse("never"))
                .data("configured", status.capture() != dev.mecgw.sync.cdc.CaptureState.NOT_CONFIGURED)
                .data("classes", classes)
                .data("timeline", timeline.newest(TIMELINE));
    }
}
