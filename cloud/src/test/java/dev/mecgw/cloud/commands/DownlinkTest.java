package dev.mecgw.cloud.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DownlinkTest {

    private static final Instant NOW = Instant.parse("2026-12-05T16:00:00Z");

    @Test
    void shouldReportQueuedWhenTheSiteHasNotReportedYet() {
        assertThat(Downlink.statusOf(null, NOW.plusSeconds(1), NOW)).isEqualTo("queued");
        assertThat(Downlink.statusOf(null, null, NOW))
                .as("desired state never expires")
                .isEqualTo("queued");
    }

    @Test
    void shouldReportExpiredWhenTheExpiryPassedWithoutAReport() {
        assertThat(Downlink.statusOf(null, NOW.minusSeconds(1), NOW)).isEqualTo("expired");
    }

    @Test
    void shouldReportTheSiteOutcomeWhenOneIsMirrored() {
        assertThat(Downlink.statusOf("delivered", NOW.minusSeconds(1), NOW)).isEqualTo("delivered");
        assertThat(Downlink.statusOf("applied", null, NOW)).isEqualTo("applied");
    }
}
