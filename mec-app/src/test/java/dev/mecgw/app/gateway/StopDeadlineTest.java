package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The shutdown's one deadline for the gates' waits (review 10, 4), on a clock the test moves. */
class StopDeadlineTest {

    private static final long BUDGET = Duration.ofMillis(200).toNanos();

    private final AtomicLong clock = new AtomicLong(1_000);
    private final StopDeadline deadline = new StopDeadline(Duration.ofNanos(BUDGET), clock::get);

    @Test
    void shouldPassOneBudgetAfterTheFirstStartWhenStartedAgain() {
        // given the stop began
        deadline.start();

        // when later observers start it again
        clock.addAndGet(BUDGET / 2);
        deadline.start();

        // then what is left counts from the first start, and the deadline passes one budget after it
        assertThat(deadline.leftAt(clock.get())).isEqualTo(BUDGET / 2);
        assertThat(deadline.passed()).isFalse();
        clock.addAndGet(BUDGET / 2);
        assertThat(deadline.passed()).isTrue();
        assertThat(deadline.leftAt(clock.get() + 1)).isZero();
    }

    @Test
    void shouldStartWithTheFirstWaitWhenNothingStartedIt() {
        // given a stop whose first gate closes before the observer that starts the deadline ran
        assertThat(deadline.passed()).isFalse();

        // when that gate asks what is left
        long left = deadline.leftAt(clock.get());

        // then the whole budget is, counted from now
        assertThat(left).isEqualTo(BUDGET);
        clock.addAndGet(BUDGET);
        assertThat(deadline.passed()).isTrue();
    }
}
