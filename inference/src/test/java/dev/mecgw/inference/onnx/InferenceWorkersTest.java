package dev.mecgw.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.testsupport.logging.CapturedWarnings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class InferenceWorkersTest {

    @Test
    void shouldFailFastWithBusyWhenQueueIsFull() throws Exception {
        // given one thread, busy, and a queue of one that is filled
        CountDownLatch release = new CountDownLatch(1);
        try (InferenceWorkers workers = new InferenceWorkers(1, 1, new SimpleMeterRegistry())) {
            CompletableFuture<Integer> running = workers.submit(() -> {
                release.await();
                return 1;
            });
            CompletableFuture<Integer> queued = workers.submit(() -> 2);

            // when
            CompletableFuture<Integer> rejected = workers.submit(() -> 3);

            // then
            assertThat(rejected).isCompletedExceptionally();
            assertThat(rejected.handle((v, e) -> e).get())
                    .isInstanceOfSatisfying(
                            InferenceException.class,
                            e -> assertThat(e.reason()).isEqualTo(InferenceException.Reason.BUSY));
            release.countDown();
            assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        }
    }

    @Test
    void shouldRunOnNamedWorkerThreadWhenSubmitted() throws ExecutionException, InterruptedException {
        // given
        try (InferenceWorkers workers =
                new InferenceWorkers(InferenceWorkers.defaultThreads(), 4, new SimpleMeterRegistry())) {
            // when
            String thread =
                    workers.submit(() -> Thread.currentThread().getName()).get();

            // then
            assertThat(thread).startsWith("mecgw-inference-");
            assertThat(workers.threads())
                    .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        }
    }

    @Test
    void shouldDropTheQueueAndSayWhatStillRunsWhenClosedDuringARun() throws Exception {
        // given one worker busy with a run that outlasts the close wait, and a run queued behind it
        InferenceWorkers workers = new InferenceWorkers(1, 4, Duration.ofMillis(50), new SimpleMeterRegistry());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> running = workers.submit(() -> {
            started.countDown();
            release.await(30, TimeUnit.SECONDS);
            return 1;
        });
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Integer> queued = workers.submit(() -> 2);
        List<String> infos;
        try (CapturedWarnings captured = CapturedWarnings.of(InferenceWorkers.class, Level.INFO)) {
            // when the workers close (the INFERENCE phase's stop)
            workers.close();
            infos = captured.messages();
        }

        // then the close returned after its wait, the queued run is refused instead of running later, and the log
        // says what was dropped and what still runs
        assertThat(queued.handle((v, e) -> e).get(30, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(
                        InferenceException.class,
                        e -> assertThat(e.reason()).isEqualTo(InferenceException.Reason.BUSY));
        assertThat(infos).singleElement().asString().contains("1 queued run(s) dropped", "1 still running after 50 ms");
        assertThat(running).isNotDone();
        release.countDown();
        assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    }
}
