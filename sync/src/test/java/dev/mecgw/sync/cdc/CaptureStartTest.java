package dev.mecgw.sync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Review 10, finding 6: a start of the critical capture closes the gate before its first batch. */
class CaptureStartTest {

    @Test
    void shouldCloseTheCriticalGateWhenTheCaptureStartsAfterAnEarlierStartOpenedIt() {
        // given: the gate left open by an earlier start, whose handler may still report
        LaneGate gate = new LaneGate(Duration.ofMinutes(5));
        LaneGate.Session earlier = gate.critical().session();
        earlier.pending(0, false);
        DebeziumChangeCapture capture = new DebeziumChangeCapture(
                CaptureFixtures.settings(
                        "start", "site", "jdbc:postgresql://127.0.0.1:1/none", "public.t", Duration.ofMillis(100)),
                CaptureFixtures.acknowledgingSink(),
                gate.critical());
        try {
            // when: the capture starts (here its database is unreachable, so no batch can ever come)
            capture.start();
            // then: the gate is closed, and the earlier start's handler can no longer open it
            assertThat(gate.criticalPending()).isTrue();
            earlier.pending(0, false);
            assertThat(gate.criticalPending()).isTrue();
        } finally {
            capture.close();
        }
    }
}
