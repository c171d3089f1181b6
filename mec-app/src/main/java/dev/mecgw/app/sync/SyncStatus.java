package dev.mecgw.app.sync;

import dev.mecgw.sync.backhaul.BackhaulState;
import dev.mecgw.sync.backhaul.SlotBacklog;
import dev.mecgw.sync.cdc.CaptureState;
import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of the sync for health and metrics.
 *
 * @param capture the capture lifecycle state ({@link CaptureState#NOT_CONFIGURED} without a cloud)
 * @param backhaul the link state
 * @param lastSuccess when the cloud last acknowledged a change
 * @param inFlight changes sent and not yet acknowledged
 * @param acknowledged changes acknowledged since start
 * @param backlog the replication slot's backlog, when the slot exists and could be read
 * @param diskAlarm whether the backlog passed {@code mecgw.sync.backlog-alarm-bytes} or the slot is about to lose WAL
 */
public record SyncStatus(CaptureState capture, BackhaulState backhaul, Optional<Instant> lastSuccess, long inFlight,
        long acknowledged, Optional<SlotBacklog> backlog, boolean diskAlarm) {

    /** @return the status of a gateway without a cloud */
    public static SyncStatus notConfigured() {
        return new SyncStatus(CaptureState.NOT_CONFIGURED, BackhaulState.UNKNOWN, Optional.empty(), 0, 0,
                Optional.empty(), false);
    }
}
