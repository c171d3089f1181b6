package dev.mecgw.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
}
