package dev.mecgw.app.console.overview;

import dev.mecgw.app.console.ConsolePages;
import dev.mecgw.app.console.ConsoleUser;
import dev.mecgw.app.events.AlarmSummary;
import dev.mecgw.app.events.Alarms;
import dev.mecgw.app.sync.SyncStatus;
import dev.mecgw.app.sync.app.SyncLifecycle;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Locale;
import javax.sql.DataSource;

/** The console's landing screen: the site at a glance (devices, active alarms, backhaul, version). */
@Path("/console")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class OverviewResource {

    private final ConsolePages pages;
    private final DeviceCounts devices;
    private final Alarms alarms;
    private final SyncLifecycle sync;

    public OverviewResource(ConsolePages pages, DataSource dataSource, Alarms alarms, SyncLifecycle sync) {
        this.pages = pages;
        this.devices = new DeviceCounts(dataSource);
        this.alarms = alarms;
        this.sync = sync;
    }

    @GET
    public TemplateInstance overview(@Context SecurityContext security) {
        long[] counts = devices.count();
        // Only the counts are shown here, so one group is enough.
        long active = activeAlarms(alarms.summary(1));
        SyncStatus status = sync.status();
        return pages.page("console/overview", "overview", ConsoleUser.of(security))
                .data("online", counts[0])
                .data("total", counts[1])
                .data("alarms", active)
                .data("backhaul", status.backhaul().name().toLowerCase(Locale.ROOT))
                .data("backlogRows", status.backlogRows())
                .data("backlogBytes", status.backlogBytes())
                .data("lastSuccess", status.lastSuccess().map(Object::toString).orElse("never"));
    }

    /** Active (not cleared) warnings and alarms, acknowledged or not. */
    static long activeAlarms(AlarmSummary summary) {
        return summary.counts().stream()
                .mapToLong(c -> c.unacknowledged() + c.acknowledged())
                .sum();
    }
}
