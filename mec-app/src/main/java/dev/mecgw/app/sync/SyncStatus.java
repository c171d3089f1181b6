package dev.mecgw.app.sync;

import dev.mecgw.sync.backhaul.BackhaulState;
import dev.mecgw.sync.cdc.CaptureState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of the sync (all captures together) for health and metrics.
 *
 * @param capture the worst capture state ({@link CaptureState#NOT_CONFIGURED} without a cloud)
 * @param backhaul the link state; {@link BackhaulState#DOWN} when any capture sees it down
 * @param lastSuccess when the cloud last acknowledged a change
 * @param inFlight changes sent and not yet acknowledged
 * @param acknowledged changes acknowledged since start
 * @param backlogBytes WAL bytes the replication slots retain for the cloud; 0 when unknown
 * @param replicationLag age of the newest change the cloud acknowledged while others wait (upper bound of the age
 *     of the oldest change the cloud lacks); zero when nothing is in flight
 * @param backlogRows row changes on replicated tables committed locally and not yet confirmed by their slots,
 *     estimated from PostgreSQL's table statistics (docs/sync.md "Backlog rows and age"); 0 when none or unknown
 * @param backlogOldestAge age of the oldest of those changes; zero when none
 * @param backlogComplete false while an estimate covers only changes since the gateway started (it started with a
 *     backlog pending): then rows and age are lower bounds
 * @param diskAlarm whether a slot passed {@code mecgw.sync.backlog-alarm-bytes} or PostgreSQL reports its WAL at risk
 */
public record SyncStatus(
        CaptureState capture,
        BackhaulState backhaul,
        Optional<Instant> lastSuccess,
        long inFlight,
        long acknowledged,
        long backlogBytes,
        Duration replicationLag,
        long backlogRows,
        Duration backlogOldestAge,
        boolean backlogComplete,
        boolean diskAlarm) {

    /** @return the status of a gateway without a cloud */
    public static SyncStatus notConfigured() {
        return new SyncStatus(
                CaptureState.NOT_CONFIGURED,
                BackhaulState.UNKNOWN,
                Optional.empty(),
                0,
                0,
                0,
                Duration.ZERO,
                0,
                Duration.ZERO,
                true,
                false);
    }
}
