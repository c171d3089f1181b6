package dev.mecgw.app.sync.app;

import dev.mecgw.sync.backhaul.BackhaulMonitor;
import dev.mecgw.sync.backhaul.PostgresSlotProbe;
import dev.mecgw.sync.backhaul.SlotBacklog;
import dev.mecgw.sync.cdc.CaptureSettings;
import dev.mecgw.sync.cdc.ChangeCapture;
import dev.mecgw.sync.cdc.ChangeSink;
import dev.mecgw.sync.cdc.DebeziumChangeCapture;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/** One priority class of tables: its own slot, engine, producer and backhaul monitor. */
final class SyncChannel {

    private static final Logger LOG = Logger.getLogger(SyncChannel.class);

    final CaptureSettings settings;
    final boolean bulk;
    final BackhaulMonitor monitor;
    private final Supplier<ChangeSink> sinks;
    private final PostgresSlotProbe probe;
    private ChangeSink sink;
    private ChangeCapture capture;

    SyncChannel(CaptureSettings settings, boolean bulk, BackhaulMonitor monitor, Supplier<ChangeSink> sinks,
            DataSource dataSource) {
        this.settings = settings;
        this.bulk = bulk;
        this.monitor = monitor;
        this.sinks = sinks;
        this.probe = new PostgresSlotProbe(dataSource, settings.slotName());
    }

    synchronized void start() {
        sink = sinks.get();
        capture = new DebeziumChangeCapture(settings, sink);
        capture.start();
    }

    synchronized void stop() {
        if (capture != null) {
            capture.close();
            sink.close();
            capture = null;
        }
    }

    synchronized ChangeCapture capture() {
        return capture;
    }

    Optional<SlotBacklog> backlog() {
        try {
            return probe.read();
        } catch (SQLException e) {
            LOG.debugf("backlog of slot %s unavailable: %s", settings.slotName(), e.getMessage());
            return Optional.empty();
        }
    }
}
