package dev.mecgw.app.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.sync.backhaul.BackhaulState;
import dev.mecgw.sync.cdc.CaptureState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyncTimelineTest {

    private final List<String> recorded = new ArrayList<>();
    private final List<String> cleared = new ArrayList<>();
    private final SyncTimeline timeline = new SyncTimeline(
            (device, kind, severity, payload) -> recorded.add(kind + "/" + severity),
            (kind, note) -> cleared.add(kind));

    @Test
    void shouldRecordEachTransitionOnceAndClearTheDownWarningWhenTheBackhaulComesBack() {
        // When the link is up, up again, down, down again, then up
        timeline.observe(givenStatus(BackhaulState.UP, false));
        timeline.observe(givenStatus(BackhaulState.UP, false));
        timeline.observe(givenStatus(BackhaulState.DOWN, false));
        timeline.observe(givenStatus(BackhaulState.DOWN, false));
        timeline.observe(givenStatus(BackhaulState.UP, false));

        // Then three transitions are events, and each up clears the down warnings (a restart may have left one)
        assertThat(recorded)
                .containsExactly("sync.backhaul.up/info", "sync.backhaul.down/warning", "sync.backhaul.up/info");
        assertThat(cleared)
                .containsExactly(SyncTimeline.BACKHAUL_DOWN, SyncTimeline.DISK_ALARM, SyncTimeline.BACKHAUL_DOWN);
    }

    @Test
    void shouldRaiseTheDiskAlarmOnceAndClearItWhenItEnds() {
        // When
        timeline.observe(givenStatus(BackhaulState.UNKNOWN, true));
        timeline.observe(givenStatus(BackhaulState.UNKNOWN, true));
        timeline.observe(givenStatus(BackhaulState.UNKNOWN, false));

        // Then
        assertThat(recorded).containsExactly("sync.disk-alarm/alarm");
        assertThat(cleared).containsExactly(SyncTimeline.DISK_ALARM);
    }

    @Test
    void shouldRecordNothingWhenSyncIsNotConfigured() {
        // When
        timeline.observe(SyncStatus.notConfigured());

        // Then
        assertThat(recorded).isEmpty();
        assertThat(cleared).isEmpty();
    }

    private static SyncStatus givenStatus(BackhaulState backhaul, boolean diskAlarm) {
        return new SyncStatus(
                CaptureState.RUNNING,
                backhaul,
                Optional.empty(),
                0,
                0,
                0,
                Duration.ZERO,
                0,
                Duration.ZERO,
                true,
                diskAlarm);
    }
}
