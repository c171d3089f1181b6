package dev.mecgw.app.console.overview;

import dev.mecgw.app.console.LiveReadings;
import dev.mecgw.app.inference.CameraOverview;
import dev.mecgw.app.ran.RanNetwork;
import dev.mecgw.app.sync.CloudSync;
import dev.mecgw.app.sync.SyncStatus;
import io.quarkus.qute.TemplateInstance;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The Overview's tiles (issue 19): devices online/total, active alarms, readings per second, backhaul with
 * replication lag and backlog, CPU/memory/disk, the 5G network and the model versions. Each figure is one cheap
 * read (an indexed count, in-memory state), so the tiles can be re-rendered every few seconds for each open page.
 */
public final class OverviewTiles {

    private final DeviceCounts devices;
    private final CloudSync sync;
    private final LiveReadings readings;
    private final HostStats host;
    private final RanTile ran;
    private final CameraOverview models;

    /** What the tiles read; {@code dataDir} is the data directory whose file system the disk tile shows. */
    public record Parts(
            DataSource dataSource,
            CloudSync sync,
            LiveReadings readings,
            Path dataDir,
            RanNetwork ran,
            CameraOverview models) {}

    public OverviewTiles(Parts parts) {
        this.devices = new DeviceCounts(parts.dataSource());
        this.sync = parts.sync();
        this.readings = parts.readings();
        this.host = new HostStats(parts.dataDir());
        this.ran = new RanTile(parts.ran());
        this.models = parts.models();
    }

    /** Fills the tiles' data into a page or the tiles fragment. Blocking (JDBC). */
    TemplateInstance fill(TemplateInstance page) {
        long[] counts = devices.count();
        SyncStatus status = sync.status();
        return page.data("online", counts[0])
                .data("total", counts[1])
                .data("alarms", counts[2])
                .data("readingsPerSecond", String.format(Locale.ROOT, "%.1f", readings.perSecond()))
                .data("backhaul", status.backhaul().name().toLowerCase(Locale.ROOT))
                .data("lagSeconds", status.replicationLag().toSeconds())
                .data("backlogRows", status.backlogRows())
                .data("backlogBytes", status.backlogBytes())
                .data("diskAlarm", status.diskAlarm())
                .data("lastSuccess", status.lastSuccess().map(Instant::toString).orElse("never"))
                .data("host", host.snapshot())
                .data("ran", ran.lines())
                .data(
                        "models",
                        models.models().stream()
                                .map(m -> Map.of("name", m.name(), "version", m.version()))
                                .toList());
    }
}
