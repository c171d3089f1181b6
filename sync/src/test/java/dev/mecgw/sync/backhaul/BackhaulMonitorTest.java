package dev.mecgw.sync.backhaul;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BackhaulMonitorTest {

    private static final Instant COMMIT = Instant.parse("2025-12-31T23:59:59Z");

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final BackhaulMonitor monitor = new BackhaulMonitor(
            new Clock() {
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
            },
            Duration.ofSeconds(5));

    @Test
    void shouldBeUnknownWhenNothingWasSent() {
        assertThat(monitor.state()).isEqualTo(BackhaulState.UNKNOWN);
        assertThat(monitor.lastSuccess()).isEmpty();
    }

    @Test
    void shouldBeUpWhenSendWasAcknowledged() {
        // when
        monitor.sent(COMMIT);
        monitor.acknowledged(COMMIT);
        // then
        assertThat(monitor.state()).isEqualTo(BackhaulState.UP);
        assertThat(monitor.lastSuccess()).contains(now);
    }

    @Test
    void shouldBeDownWhenChangesWaitLongerThanThreshold() {
        // given
        monitor.sent(COMMIT);
        monitor.acknowledged(COMMIT);
        monitor.sent(COMMIT);
        // when
        now = now.plusSeconds(6);
        // then
        assertThat(monitor.state()).isEqualTo(BackhaulState.DOWN);
        assertThat(monitor.inFlight()).isEqualTo(1);
    }

    @Test
    void shouldBeDownUntilNextAckWhenSendFailed() {
        // given
        monitor.sent(COMMIT);
        monitor.failed();
        assertThat(monitor.state()).isEqualTo(BackhaulState.DOWN);
        // when
        now = now.plusMillis(1);
        monitor.sent(COMMIT);
        monitor.acknowledged(COMMIT);
        // then
        assertThat(monitor.state()).isEqualTo(BackhaulState.UP);
    }

    @Test
    void shouldReportLagFromNewestAcknowledgedCommitWhenChangesWait() {
        // given: one change acknowledged, a newer one waiting
        monitor.sent(COMMIT);
        monitor.acknowledged(COMMIT);
        assertThat(monitor.lag()).isZero();
        monitor.sent(COMMIT.plusSeconds(1));
        // when
        now = now.plusSeconds(30);
        // then
        assertThat(monitor.lag()).isEqualTo(Duration.ofSeconds(31));
    }

    @Test
    void shouldReportLagFromFirstSentCommitWhenNothingWasAcknowledged() {
        // when
        monitor.sent(COMMIT);
        now = now.plusSeconds(9);
        // then
        assertThat(monitor.lag()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldFollowProbesWhenNothingIsInFlight() {
        // given: the link was up
        monitor.sent(COMMIT);
        monitor.acknowledged(COMMIT);
        // when: an idle probe fails
        now = now.plusSeconds(1);
        monitor.probed(false);
        // then
        assertThat(monitor.state()).isEqualTo(BackhaulState.DOWN);
        // when: a later probe succeeds
        now = now.plusSeconds(1);
        monitor.probed(true);
        // then: up, but the last success stays the last acknowledgement
        assertThat(monitor.state()).isEqualTo(BackhaulState.UP);
        assertThat(monitor.lastSuccess()).contains(now.minusSeconds(2));
    }
}
