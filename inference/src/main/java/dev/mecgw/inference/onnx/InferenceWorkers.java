package dev.mecgw.inference.onnx;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;

/**
 * The bounded pool every model run goes through, so that inference never runs on an event loop and never
 * takes more than its share of the cores: a fixed number of threads and a bounded queue; a full queue
 * fails the submission fast with {@code BUSY} instead of piling up work.
 */
public final class InferenceWorkers implements AutoCloseable {

    private final ThreadPoolExecutor executor;

    /**
     * @param threads worker threads, at least 1
     * @param queueCapacity submissions waiting beyond the running ones, at least 1
     * @param meters registry for the pool's meters ({@code executor.*} tagged {@code name=inference})
     */
    public InferenceWorkers(int threads, int queueCapacity, MeterRegistry meters) {
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
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(task.call());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(
                    new InferenceException(InferenceException.Reason.BUSY, "Inference workers are saturated", e));
        }
        return result;
    }

    /** Stops accepting work and waits briefly for running tasks. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    ExecutorService executor() {
        return executor;
    }
}
