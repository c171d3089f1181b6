package dev.mecgw.app.sync;

import dev.mecgw.app.events.EventLog;
import dev.mecgw.sync.backhaul.BackhaulState;
import dev.mecgw.sync.cdc.CaptureState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns changes of the sync status into events (issue 19, the console's sync timeline and "what is wrong now"): the
 * backhaul going down is a warning {@value #BACKHAUL_DOWN}, its coming up an info {@value #BACKHAUL_UP} that also
 * clears the down warnings still active; the disk alarm is an alarm {@value #DISK_ALARM}, cleared when it ends. Those
 * clears are made by user {@value #SYSTEM_USER}. The events are the persisted timeline: they outlive a restart and
 * reach the cloud once the link is back. Fed with {@link #observe} from a periodic sampler; thread-safe.
 */
public final class SyncTimeline {

    /** Event kind: the link to the cloud went down. */
    public static final String BACKHAUL_DOWN = "sync.backhaul.down";

    /** Event kind: the link to the cloud is up (again, or for the first time since start). */
    public static final String BACKHAUL_UP = "sync.backhaul.up";

    /** Event kind: a replication slot retains too much WAL or PostgreSQL reports its WAL at risk. */
    public static final String DISK_ALARM = "sync.disk-alarm";

    /** Who clears alarms that ended by themselves. */
    public static final String SYSTEM_USER = "gateway";

    /** Clears every active alarm of a site-wide kind as {@link #SYSTEM_USER}: {@code Alarms.clearGroup}. */
    @FunctionalInterface
    public interface Clearing {
        void clear(String kind, String note);
    }

    private final EventLog events;
    private final Clearing alarms;
    private BackhaulState backhaul = BackhaulState.UNKNOWN;
    private Boolean diskAlarm;

    public SyncTimeline(EventLog events, Clearing alarms) {
        this.events = events;
        this.alarms = alarms;
    }

    /** Records what changed since the previous status; nothing when sync is not configured or the link unknown. */
    public synchronized void observe(SyncStatus status) {
        if (status.capture() == CaptureState.NOT_CONFIGURED) {
            return;
        }
        BackhaulState now = status.backhaul();
        if (now != BackhaulState.UNKNOWN && now != backhaul) {
            Map<String, Object> payload = new LinkedHashMap<>();
            status.lastSuccess().ifPresent(t -> payload.put("lastSuccess", t.toString()));
            payload.put("backlogRows", status.backlogRows());
            payload.put("backlogBytes", status.backlogBytes());
            if (now == BackhaulState.DOWN) {
                events.record(null, BACKHAUL_DOWN, "warning", payload);
            } else {
                events.record(null, BACKHAUL_UP, "info", payload);
                // Also a down warning left active by a gateway that stopped while the link was down.
                alarms.clear(BACKHAUL_DOWN, "backhaul up");
            }
            backhaul = now;
        }
        if (diskAlarm == null || diskAlarm != status.diskAlarm()) {
            if (status.diskAlarm()) {
                events.record(null, DISK_ALARM, "alarm", Map.of("backlogBytes", status.backlogBytes()));
            } else {
                alarms.clear(DISK_ALARM, "disk alarm ended");
            }
            diskAlarm = status.diskAlarm();
        }
    }
}
