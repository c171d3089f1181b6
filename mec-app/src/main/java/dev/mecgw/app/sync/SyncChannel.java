package dev.mecgw.app.sync;

import dev.mecgw.app.retention.PostgresRetention;
import dev.mecgw.sync.backhaul.BackhaulMonitor;
import dev.mecgw.sync.backhaul.BacklogEstimate;
import dev.mecgw.sync.backhaul.BacklogSampler;
import dev.mecgw.sync.backhaul.SlotBacklog;
import dev.mecgw.sync.backhaul.SlotProbe;
import dev.mecgw.sync.cdc.CaptureSettings;
import dev.mecgw.sync.cdc.ChangeCapture;
import dev.mecgw.sync.cdc.ChangeSink;
import dev.mecgw.sync.cdc.DebeziumChangeCapture;
import dev.mecgw.sync.cdc.LaneGate;
import dev.mecgw.sync.cdc.RetentionMarks;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/** One priority class of tables: its own slot, engine, producer and backhaul monitor. */
public final class SyncChannel {

    private static final Logger LOG = Logger.getLogger(SyncChannel.class);
    /** Samples per slot: 2048 one-second samples (34 min of steady ingest) before an outage's resolution halves. */
    private static final int BACKLOG_SAMPLES = 2048;

    private final CaptureSettings settings;
    private final boolean bulk;
    private final BackhaulMonitor monitor;
    private final Supplier<ChangeSink> sinks;
    private final LaneGate.Lane lane;
    private final SlotProbe probe;
    private final BacklogSampler sampler;
    private final RetentionMarks retentionMarks;
    private ChangeSink sink;
    private ChangeCapture capture;
    private boolean wanted;
    private boolean waitReported;

    public SyncChannel(
            CaptureSettings settings,
            boolean bulk,
            BackhaulMonitor monitor,
            Supplier<ChangeSink> sinks,
            LaneGate.Lane lane,
            DataSource dataSource) {
        this.settings = settings;
        this.bulk = bulk;
        this.monitor = monitor;
        this.sinks = sinks;
        this.lane = lane;
        this.probe = BackhaulMonitor.slotProbe(dataSource, settings.slotName());
        this.sampler = BackhaulMonitor.backlogSampler(
                dataSource, settings.slotName(), settings.tables(), BACKLOG_SAMPLES, Clock.systemUTC());
        // Issue 14 item 4: deletes of the site's retention prunes stay at the site; operators' deletes leave it.
        this.retentionMarks = DebeziumChangeCapture.retentionMarks(dataSource, PostgresRetention.MARKS_TABLE);
    }

    /** @return the priority class, {@code critical} or {@code bulk}: the tag of the per-class metrics */
    /** @return the capture settings of this channel (slot, tables) */
    public CaptureSettings settings() {
        return settings;
    }

    /** @return true for the bulk priority class */
    public boolean bulk() {
        return bulk;
    }

    /** @return the backhaul monitor of this channel's producer */
    public BackhaulMonitor monitor() {
        return monitor;
    }

    public String priorityClass() {
        return bulk ? "bulk" : "critical";
    }

    /**
     * Starts capture unless the cloud's Kafka clients cannot even be built (e.g. a bootstrap name that does not
     * resolve while the backhaul's DNS is down); then the backhaul reads down and {@link #retry()} tries again.
     */
    public synchronized void start() {
        wanted = true;
        try {
            sink = sinks.get();
        } catch (KafkaException e) {
            monitor.probed(false);
            if (!waitReported) {
                LOG.warnf(
                        "sync %s waits for the cloud: Kafka client not created (%s); changes stay in PostgreSQL"
                                + " and capture starts once the cloud resolves",
                        settings.name(), rootMessage(e));
                waitReported = true;
            }
            return;
        }
        waitReported = false;
        capture = new DebeziumChangeCapture(settings, sink, lane, retentionMarks);
        capture.start();
    }

    /** Starts a channel whose start is still owed because its Kafka client could not be built. */
    public synchronized void retry() {
        if (wanted && capture == null) {
            start();
        }
    }

    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    public synchronized void stop() {
        wanted = false;
        sampler.saveState();
        if (capture != null) {
            capture.close();
            sink.close();
            capture = null;
        }
    }

    public synchronized ChangeCapture capture() {
        return capture;
    }

    /** Samples the backlog's rows and age; runs whether or not the capture runs, since the slot outlives it. */
    public void sampleBacklog() {
        try {
            sampler.sample();
        } catch (SQLException e) {
            LOG.debugf("backlog rows of slot %s unavailable: %s", settings.slotName(), e.getMessage());
        }
    }

    /** @return the latest backlog estimate in rows and age; cheap, no query */
    public BacklogEstimate backlogEstimate() {
        return sampler.estimate();
    }

    public Optional<SlotBacklog> backlog() {
        try {
            return probe.read();
        } catch (SQLException e) {
            LOG.debugf("backlog of slot %s unavailable: %s", settings.slotName(), e.getMessage());
            return Optional.empty();
        }
    }
}
