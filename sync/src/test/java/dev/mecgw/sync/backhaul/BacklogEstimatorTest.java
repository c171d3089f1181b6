package dev.mecgw.sync.backhaul;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BacklogEstimatorTest {

    private static final long TABLE = 16384;
    private static final long PARTITION = 16390;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final BacklogEstimator estimator = new BacklogEstimator(64);

    @Test
    void shouldReportNothingWhenSlotConfirmedEverything() {
        // given
        record(0, 100, 50, 100);
        // when
        BacklogEstimate estimate = record(1, 200, 50, 200);
        // then
        assertThat(estimate).isEqualTo(new BacklogEstimate(0, Optional.empty(), true));
        assertThat(estimate.oldestAge(at(5))).isZero();
    }

    @Test
    void shouldCountChangesAndAgeSinceConfirmedPositionWhenLinkIsDown() {
        // given: caught up at LSN 100, then the slot stops confirming
        record(0, 100, 50, 100);
        record(1, 150, 50, 100);
        // when: 30 changes between seconds 1 and 2, 20 more by second 3
        record(2, 300, 80, 100);
        BacklogEstimate estimate = record(3, 400, 100, 100);
        // then
        assertThat(estimate.rows()).isEqualTo(50);
        assertThat(estimate.oldestPending()).contains(at(1));
        assertThat(estimate.oldestAge(at(10))).isEqualTo(Duration.ofSeconds(9));
        assertThat(estimate.complete()).isTrue();
    }

    @Test
    void shouldShrinkWhenSlotConfirmsPartOfBacklog() {
        // given
        record(0, 100, 50, 100);
        record(1, 200, 80, 100);
        record(2, 300, 100, 100);
        // when: the slot confirmed past the second sample
        BacklogEstimate estimate = record(3, 310, 100, 250);
        // then: the changes after the second sample remain, the oldest of them after second 1
        assertThat(estimate.rows()).isEqualTo(20);
        assertThat(estimate.oldestPending()).contains(at(1));
    }

    @Test
    void shouldKeepRunsShortWhenCountDoesNotChange() {
        // given: idle with the link down, WAL moving for other tables
        record(0, 100, 50, 100);
        record(1, 110, 60, 100);
        // when
        for (int second = 2; second < 100; second++) {
            record(second, 100L + 10 * second, 60, 100);
        }
        // then: the anchor, the first and the last sample of the run
        assertThat(estimator.samples()).isEqualTo(3);
        assertThat(estimator.estimate().rows()).isEqualTo(10);
        assertThat(estimator.estimate().oldestPending()).contains(at(0));
    }

    @Test
    void shouldStayBoundedAndKeepTotalWhenOutageOutlastsCapacity() {
        // given
        record(0, 100, 0, 100);
        // when: one change per second for far longer than the ring holds
        for (int second = 1; second <= 1000; second++) {
            record(second, 100L + second, second, 100);
        }
        // then
        assertThat(estimator.samples()).isLessThanOrEqualTo(64);
        assertThat(estimator.estimate().rows()).isEqualTo(1000);
        assertThat(estimator.estimate().oldestPending()).contains(at(0));
    }

    @Test
    void shouldCountOnlyNewChangesWhenCounterIsResetOrPartitionAppears() {
        // given
        record(0, 100, 500, 100);
        // when: statistics reset (500 -> 7), then a new partition with 3 changes
        record(1, 200, 7, 100);
        BacklogEstimate estimate = estimator.record(at(2), 300, Map.of(TABLE, 9L, PARTITION, 3L), OptionalLong.of(100));
        // then
        assertThat(estimate.rows()).isEqualTo(12);
    }

    @Test
    void shouldReportLowerBoundWhenStartedWithBacklogPending() {
        // given: the slot confirmed nothing since before the first sample (gateway restarted during an outage)
        record(0, 1000, 50, 100);
        // when
        BacklogEstimate estimate = record(5, 1100, 70, 100);
        // then
        assertThat(estimate.rows()).isEqualTo(20);
        assertThat(estimate.oldestPending()).contains(at(0));
        assertThat(estimate.complete()).isFalse();
    }

    @Test
    void shouldReportNothingWhenSlotDoesNotExist() {
        // given
        record(0, 100, 50, 100);
        // when
        BacklogEstimate estimate = estimator.record(at(1), 200, Map.of(TABLE, 80L), OptionalLong.empty());
        // then
        assertThat(estimate).isEqualTo(BacklogEstimate.NONE);
        assertThat(estimator.samples()).isEqualTo(1);
    }

    @Test
    void shouldAddRowsAndKeepOlderChangeWhenCombiningSlots() {
        // given
        BacklogEstimate critical = new BacklogEstimate(5, Optional.of(at(7)), true);
        BacklogEstimate bulk = new BacklogEstimate(100, Optional.of(at(3)), false);
        // when
        BacklogEstimate both = BacklogEstimate.NONE.plus(critical).plus(bulk);
        // then
        assertThat(both).isEqualTo(new BacklogEstimate(105, Optional.of(at(3)), false));
        assertThat(critical.plus(BacklogEstimate.NONE)).isEqualTo(critical);
    }

    @Test
    void shouldGoOnFromSavedStateWhenRestoredBeforeFirstSample() {
        // given: a backlog of 30 since second 1, saved
        record(0, 100, 50, 100);
        record(1, 150, 50, 100);
        record(2, 300, 80, 100);
        BacklogEstimator restarted = new BacklogEstimator(64);
        // when
        boolean restored = restarted.restore(estimator.save());
        BacklogEstimate estimate = restarted.record(at(9), 500, Map.of(TABLE, 90L), OptionalLong.of(100));
        // then
        assertThat(restored).isTrue();
        assertThat(estimate).isEqualTo(new BacklogEstimate(40, Optional.of(at(1)), true));
    }

    @Test
    void shouldRefuseStateWhenGarbledOrAlreadySampling() {
        // given
        String saved = estimator.save();
        record(0, 100, 50, 100);
        // when / then
        assertThat(new BacklogEstimator(64).restore("backlog-1|x|1||")).isFalse();
        assertThat(new BacklogEstimator(64).restore("something else")).isFalse();
        assertThat(estimator.restore(saved)).isFalse();
        assertThat(estimator.estimate().complete()).isTrue();
    }

    private BacklogEstimate record(int second, long walLsn, long count, long confirmedLsn) {
        return estimator.record(at(second), walLsn, Map.of(TABLE, count), OptionalLong.of(confirmedLsn));
    }

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }
}
