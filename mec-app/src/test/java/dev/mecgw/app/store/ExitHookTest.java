package dev.mecgw.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.gateway.StopDeadline;
import dev.mecgw.inference.onnx.InferenceWorkers;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Review 9, 1.5: the exit hook's wait for the application's shutdown does not depend on the common ForkJoin pool; and
 * review 10, 4: the shutdown's bounded waits fit inside it.
 */
class ExitHookTest {

    /** Longer than any wait these tests expect to end: a wait that ends returns long before it. */
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    @Test
    void shouldWaitForTheApplicationOnAThreadOfItsOwnWhenTheJvmExits() {
        // given an application whose awaitShutdown records where it runs
        AtomicReference<String> waiter = new AtomicReference<>();

        // when the hook waits for it
        ExitHook.Wait wait =
                ExitHook.awaited(() -> waiter.set(Thread.currentThread().getName()), GENEROUS);

        // then it ran on the hook's own waiter, not on a pool some library may keep busy at exit
        assertThat(wait).isEqualTo(ExitHook.Wait.ENDED);
        assertThat(waiter).hasValue("mecgw-postgres-exit-wait");
    }

    @Test
    void shouldSeeAStoppedApplicationAtOnceWhenTheCommonPoolIsBusy() throws Exception {
        // given every worker of the common ForkJoin pool held by some library's task (CompletableFuture.runAsync used
        // that pool from three cores on; on two it makes a thread per task, and this case cannot fail there)
        int workers = ForkJoinPool.getCommonPoolParallelism();
        CountDownLatch held = new CountDownLatch(workers);
        CountDownLatch release = new CountDownLatch(1);
        var tasks = IntStream.range(0, workers)
                .mapToObj(i -> ForkJoinPool.commonPool().submit(() -> {
                    held.countDown();
                    release.await(60, TimeUnit.SECONDS);
                    return null;
                }))
                .toList();
        try {
            assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();

            // when the hook waits for an application that has already stopped
            ExitHook.Wait wait = ExitHook.awaited(() -> {}, GENEROUS);

            // then it sees it stopped (before, the wait queued behind the pool's tasks and ran out)
            assertThat(wait).isEqualTo(ExitHook.Wait.ENDED);
        } finally {
            release.countDown();
            tasks.forEach(ForkJoinTask::join);
        }
    }

    @Test
    void shouldGiveUpAfterTheBoundWhenTheApplicationDoesNotStop() throws Exception {
        // given an application whose shutdown does not end
        CountDownLatch stops = new CountDownLatch(1);
        try {
            // when the hook waits for it with a short bound
            ExitHook.Wait wait = ExitHook.awaited(() -> awaitQuietly(stops), Duration.ofMillis(50));

            // then the wait ran out: the hook stops the server anyway, with its warning
            assertThat(wait).isEqualTo(ExitHook.Wait.RAN_OUT);
        } finally {
            stops.countDown();
        }
    }

    @Test
    void shouldTellAnInterruptedWaitFromOneThatRanOutWhenTheHookIsInterrupted() {
        // given an application whose shutdown does not end, and a hook thread that is interrupted
        CountDownLatch stops = new CountDownLatch(1);
        Thread.currentThread().interrupt();
        try {
            // when the hook waits for it
            ExitHook.Wait wait = ExitHook.awaited(() -> awaitQuietly(stops), GENEROUS);

            // then it says it was interrupted (before: the same false as a bound run out, and the hook warned that
            // the gateway did not stop within 60 s), and keeps the interrupt
            assertThat(wait).isEqualTo(ExitHook.Wait.INTERRUPTED);
            assertThat(Thread.interrupted()).isTrue();
        } finally {
            Thread.interrupted();
            stops.countDown();
        }
    }

    @Test
    void shouldLeaveTheShutdownsBoundedWaitsInsideTheHooksWait() {
        // The gates' waits share one deadline (review 10, 4), and the inference workers' close waits beside it: both
        // together end before the hook stops the server under the ingest's drain and the writers' flush
        assertThat(StopDeadline.BUDGET.plus(InferenceWorkers.CLOSE_WAIT)).isLessThan(ExitHook.ORDERLY_STOP_WAIT);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
