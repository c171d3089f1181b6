package dev.mecgw.sync.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The wait between retries of the Kafka consumer loops: its growth and its end at close, without real time. */
class RetryWaitTest {

    private final List<Duration> waited = new CopyOnWriteArrayList<>();

    @Test
    void shouldDoubleFromHalfASecondUpToTenSecondsWhenFailuresFollowEachOther() throws Exception {
        // given
        RetryWait wait = givenARecordingWait();
        // when
        for (int failures = 0; failures < 8; failures++) {
            wait.pause(failures);
        }
        // then
        assertThat(waited)
                .containsExactly(
                        millis(500),
                        millis(1000),
                        millis(2000),
                        millis(4000),
                        millis(8000),
                        millis(10_000),
                        millis(10_000),
                        millis(10_000));
        assertThat(RetryWait.backoff(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldRefuseANegativeFailureCountWhenAskedForItsBackoff() {
        assertThatThrownBy(() -> RetryWait.backoff(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNotWaitAnyMoreWhenReleased() throws Exception {
        // given
        RetryWait wait = givenARecordingWait();
        wait.pause(0);
        // when
        wait.release();
        IntStream.range(0, 3).forEach(failures -> pauseQuietly(wait, failures));
        // then
        assertThat(waited).containsExactly(millis(500));
        assertThat(wait.released()).isTrue();
    }

    @Test
    void shouldEndAWaitInProgressWhenReleasedFromAnotherThread() throws Exception {
        // given a real wait of 10 s in progress
        RetryWait wait = new RetryWait();
        Thread waiting = new Thread(() -> pauseQuietly(wait, 5), "retry-wait");
        waiting.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> waiting.getState() == Thread.State.TIMED_WAITING);
        // when
        wait.release();
        // then it ends well before its 10 s
        await().atMost(Duration.ofSeconds(5)).until(() -> !waiting.isAlive());
    }

    private RetryWait givenARecordingWait() {
        return new RetryWait((released, delay) -> waited.add(delay));
    }

    private static void pauseQuietly(RetryWait wait, int failures) {
        try {
            wait.pause(failures);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration millis(long millis) {
        return Duration.ofMillis(millis);
    }
}
