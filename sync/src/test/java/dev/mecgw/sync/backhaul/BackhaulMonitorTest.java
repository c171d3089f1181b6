package dev.mecgw.sync.backhaul;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class BackhaulMonitorTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final BackhaulMonitor monitor = new BackhaulMonitor(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }, Duration.ofSeconds(5));

    @Test
    void shouldBeUnknownWhenNothingWasSent() {
        assertThat(monitor.state()).isEqualTo(BackhaulState.UNKNOWN);
        assertThat(monitor.lastSuccess()).isEmpty();
    }

    @Test
    void shouldBeUpWhenSendWasAcknowledged() {
        // when
        monitor.sent();
        monitor.acknowledged();
        // then
        assertThat(monitor.state()).isEqualTo(BackhaulState.UP);
        assertThat(monitor.lastSuccess()).contains(now);
    }

    @Test
    void shouldBeDownWhenChangesWaitLongerThanThreshold() {
        // given
        monitor.sent();
        monitor.acknowledged();
        monitor.sent();
        // when
        now = now.plusSeconds(6);
        // then
        assertThat(monitor.state()).isEqualTo(BackhaulState.DOWN);
        assertThat(monitor.inFlight()).isEqualTo(1);
    }

    @Test
    void shouldBeDownUntilNextAckWhenSendFailed() {
        // given
        monitor.sent();
        monitor.failed();
        assertThat(monitor.state()).isEqualTo(BackhaulState.DOWN);
        // when
        now = now.plusMillis(1);
        monitor.sent();
        monitor.acknowledged();
        // then
        assertThat(monitor.state()).isEqualTo(BackhaulState.UP);
    }
}
