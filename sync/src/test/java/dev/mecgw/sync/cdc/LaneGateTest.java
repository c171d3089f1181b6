package dev.mecgw.sync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Review 10, finding 3: each start of the critical capture reports through a session of its own. */
class LaneGateTest {

    private final LaneGate gate = new LaneGate(Duration.ofMinutes(5));

    @Test
    void shouldCloseAnOpenGateWhenTheCriticalCaptureOpensANewSession() {
        // given: an earlier start of the critical capture drained and opened the gate
        givenAnEarlierSessionThatOpenedTheGate();
        // when: the capture starts again, before any batch of that start
        gate.critical().session();
        // then: the bulk lane waits until the new start reports
        assertThat(gate.criticalPending()).isTrue();
    }

    @Test
    void shouldIgnoreReportsOfAnEarlierSessionWhenANewOneIsOpen() {
        // given: an earlier start's handler still running (a batch finishing after a close that gave up waiting)
        LaneGate.Session earlier = givenAnEarlierSessionThatOpenedTheGate();
        LaneGate.Session current = gate.critical().session();
        // when: the earlier handler reports nothing pending
        earlier.pending(0, false);
        // then: it cannot open the gate
        assertThat(gate.criticalPending()).isTrue();
        // when: the current start has drained and the earlier handler reports changes pending
        current.pending(0, false);
        earlier.pending(3, true);
        // then: it cannot hold the gate either; both reports were counted as stale
        assertThat(gate.criticalPending()).isFalse();
        assertThat(gate.staleReports()).isEqualTo(2);
    }

    @Test
    void shouldFollowTheCurrentSessionsReports() {
        // given
        LaneGate.Session current = gate.critical().session();
        // when / then: pending changes or changes still to come hold the gate, nothing pending opens it
        current.pending(0, false);
        assertThat(gate.criticalPending()).isFalse();
        current.pending(2, false);
        assertThat(gate.criticalPending()).isTrue();
        current.pending(0, true);
        assertThat(gate.criticalPending()).isTrue();
        current.pending(0, false);
        assertThat(gate.criticalPending()).isFalse();
        assertThat(gate.staleReports()).isZero();
    }

    @Test
    void shouldLeaveTheGateAsItIsWhenTheBulkCaptureOrOneWithoutPriorityStarts() {
        // given: the critical lane drained
        LaneGate.Session critical = givenAnEarlierSessionThatOpenedTheGate();
        // when: the bulk capture, and one without priority, start and report
        gate.bulk().session().pending(5, true);
        LaneGate.Lane.NONE.session().pending(5, true);
        // then: the gate stays open and the critical session stays current
        assertThat(gate.criticalPending()).isFalse();
        critical.pending(1, false);
        assertThat(gate.criticalPending()).isTrue();
    }

    private LaneGate.Session givenAnEarlierSessionThatOpenedTheGate() {
        LaneGate.Session earlier = gate.critical().session();
        earlier.pending(0, false);
        assertThat(gate.criticalPending()).isFalse();
        return earlier;
    }
}
