package dev.mecgw.inference.onnx;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.jboss.logging.Logger;

/**
 * The bounded pool every model run goes through, so that inference never runs on an event loop and never
 * takes more than its share of the cores: a fixed number of threads and a bounded queue; a full queue
 * fails the submission fast with {@code BUSY} instead of piling up work.
 */
public final class InferenceWorkers implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InferenceWorkers.class);

    /**
     * How long {@link #close()} waits for the runs in flight by default: one model run and the write of its events,
     * with a wide margin. A run takes 0.3–20 ms on the appliance's two cores and a sensor batch less
     * (docs/benchmarks.md); a loaded machine may stretch that a hundredfold.
     */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final ThreadPoolExecutor executor;
    private final Duration closeWait;

    /**
     * Workers whose {@link #close()} waits at most {@link #CLOSE_WAIT}.
     *
     * @param threads worker threads, at least 1
     * @param queueCapacity submissions waiting beyond the running ones, at least 1
     * @param meters registry for the pool's meters ({@code executor.*} tagged {@code name=inference})
     */
    public InferenceWorkers(int threads, int queueCapacity, MeterRegistry meters) {
        this(threads, queueCapacity, CLOSE_WAIT, meters);
    }

    /**
     * @param threads worker threads, at least 1
     * @param queueCapacity submissions waiting beyond the running ones, at least 1
     * @param closeWait how long {@link #close()} waits at most for the runs in flight
     * @param meters registry for the pool's meters ({@code executor.*} tagged {@code name=inference})
     */
    public InferenceWorkers(int threads, int queueCapacity, Duration closeWait, MeterRegistry meters) {
        this.closeWait = closeWait;
        this.executor = new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity),
                BasicThreadFactory.builder()
                        .namingPattern("mecgw-inference-%d")
                        .daemon(true)
                        // Ingest and protocol threads must win a contended core; inference can wait.
                        .priority(Thread.NORM_PRIORITY - 1)
                        .build());
        ExecutorServiceMetrics.monitor(meters, executor, "inference");
    }

    /** Half the available cores, at least one: the default share of the machine inference may take. */
    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** Number of worker threads. */
    public int threads() {
        return executor.getMaximumPoolSize();
    }

    /**
     * Runs a task on a worker.
     *
     * @return its result; completes exceptionally with {@code InferenceException(BUSY)} when the queue is full
     */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        Task<T> run = new Task<>(task);
        try {
            executor.execute(run);
        } catch (RejectedExecutionException e) {
            run.refuse("Inference workers are saturated", e);
        }
        return run.result;
    }

    /**
     * Stops the workers: no more submissions (they complete with {@code BUSY}), the queued ones are dropped (their
     * results complete with {@code BUSY}), and the runs in flight get at most the close wait to end, without an
     * interrupt (ONNX Runtime would not heed it, and a half-written event is worse than a late one). How many were
     * dropped or still run is logged at INFO: a run still going may record its events after the store closed.
     */
    @Override
    public void close() {
        executor.shutdown();
        List<Runnable> queued = new ArrayList<>();
        executor.getQueue().drainTo(queued);
        queued.forEach(task -> ((Task<?>) task).refuse("Inference workers stopped", null));
        boolean ended = false;
        try {
            ended = executor.awaitTermination(closeWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int running = ended ? 0 : executor.getActiveCount();
        if (running > 0 || !queued.isEmpty()) {
            LOG.infof(
                    "Inference workers stopped: %d queued run(s) dropped, %d still running after %d ms (a run still"
                            + " going may record its events after the store closed)",
                    queued.size(), running, closeWait.toMillis());
        }
    }

    ExecutorService executor() {
        return executor;
    }

    /** One submission and the result its caller holds; dropped ones are refused rather than left pending. */
    private static final class Task<T> implements Runnable {
        final Callable<T> task;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Task(Callable<T> task) {
            this.task = task;
        }

        @Override
        public void run() {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }

        void refuse(String message, Throwable cause) {
            result.completeExceptionally(new InferenceException(InferenceException.Reason.BUSY, message, cause));
        }
    }
}
