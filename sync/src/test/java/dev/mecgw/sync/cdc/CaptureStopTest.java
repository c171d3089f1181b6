package dev.mecgw.sync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class CaptureStopTest {

    @Test
    void shouldStayStoppedWhenTheEngineReportsAFailureAfterTheStop() {
        // given a capture that was stopped
        DebeziumChangeCapture capture = new DebeziumChangeCapture(
                CaptureFixtures.settings(
                        "stop", "site", "jdbc:postgresql://127.0.0.1:1/none", "public.t", Duration.ofMillis(100)),
                CaptureFixtures.acknowledgingSink());
        capture.close();

        // when the engine calls back late with the task its shutting-down executor refused
        capture.completed(false, "Engine has failed", new RejectedExecutionException("executor shut down"));

        // then the stop stands: not a failure
        assertThat(capture.state()).isEqualTo(CaptureState.STOPPED);
        assertThat(capture.failure()).isEmpty();
    }
}
