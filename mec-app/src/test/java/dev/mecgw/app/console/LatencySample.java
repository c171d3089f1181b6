package dev.mecgw.app.console;

import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * Latency of one repeated call, for the console benches ({@link ConsolePagesBench} and {@code
 * events.ConsoleQueriesBench}): untimed warm-up calls, then timed ones; p50 and p95 in milliseconds, and the last
 * call's result.
 *
 * @param last the result of the last timed call
 * @param p50Millis median latency
 * @param p95Millis 95th percentile latency
 */
public record LatencySample<T>(T last, double p50Millis, double p95Millis) {

    /** Calls {@code call} {@code warmUp} times, then {@code runs} times timed. */
    public static <T> LatencySample<T> measure(int warmUp, int runs, Callable<T> call) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            call.call();
        }
        long[] nanos = new long[runs];
        T last = null;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            last = call.call();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return new LatencySample<>(last, nanos[runs / 2] / 1e6, nanos[(int) (runs * 0.95)] / 1e6);
    }
}
