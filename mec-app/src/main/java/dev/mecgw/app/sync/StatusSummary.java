package dev.mecgw.app.sync;

import dev.mecgw.sync.backhaul.BackhaulState;
import dev.mecgw.sync.backhaul.BacklogEstimate;
import dev.mecgw.sync.backhaul.DiskGuard;
import dev.mecgw.sync.backhaul.SlotBacklog;
import dev.mecgw.sync.cdc.CaptureState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Folds the captures of all priority classes into one {@link SyncStatus}: the worst of each figure, or the sum. */
final class StatusSummary {

    private StatusSummary() {}

    /**
     * @param channels the running captures; none: not configured
     * @param guard the disk guard whose alarm threshold the status reports
     * @param now the time the backlog's age is measured at
     * @return the status; one query of {@code pg_replication_slots} per capture
     */
    static SyncStatus of(List<SyncChannel> channels, DiskGuard guard, Instant now) {
        if (channels.isEmpty()) {
            return SyncStatus.notConfigured();
        }
        CaptureState worst = CaptureState.RUNNING;
        BackhaulState backhaul = BackhaulState.UNKNOWN;
        Instant last = null;
        long inFlight = 0;
        long acknowledged = 0;
        long backlogBytes = 0;
        Duration lag = Duration.ZERO;
        boolean alarm = false;
        for (SyncChannel channel : channels) {
            var capture = channel.capture();
            CaptureState state = capture == null ? CaptureState.STARTING : capture.state();
            Optional<SlotBacklog> backlog = channel.backlog();
            if (state == CaptureState.FAILED && backlog.map(SlotBacklog::lost).orElse(false)) {
                // the disk guard recreates a lost slot (issue 14.3); devices are served meanwhile: stay ready
                state = CaptureState.STARTING;
            }
            worst = state.ordinal() > worst.ordinal() || state == CaptureState.STARTING ? state : worst;
            backhaul = worse(backhaul, channel.monitor().state());
            Instant success = channel.monitor().lastSuccess().orElse(null);
            last = success != null && (last == null || success.isAfter(last)) ? success : last;
            inFlight += channel.monitor().inFlight();
            acknowledged += channel.monitor().acknowledgedTotal();
            lag = channel.monitor().lag().compareTo(lag) > 0 ? channel.monitor().lag() : lag;
            backlogBytes += backlog.map(SlotBacklog::bytes).orElse(0L);
            alarm |= backlog.map(b -> guard.decide(b, false) != DiskGuard.Decision.OK)
                    .orElse(false);
        }
        BacklogEstimate rows =
                channels.stream().map(SyncChannel::backlogEstimate).reduce(BacklogEstimate.NONE, BacklogEstimate::plus);
        return new SyncStatus(
                worst,
                backhaul,
                Optional.ofNullable(last),
                inFlight,
                acknowledged,
                backlogBytes,
                lag,
                rows.rows(),
                rows.oldestAge(now),
                rows.complete(),
                alarm);
    }

    private static BackhaulState worse(BackhaulState a, BackhaulState b) {
        if (a == BackhaulState.DOWN || b == BackhaulState.DOWN) {
            return BackhaulState.DOWN;
        }
        return a == BackhaulState.UP || b == BackhaulState.UP ? BackhaulState.UP : BackhaulState.UNKNOWN;
    }
}
