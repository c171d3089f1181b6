package dev.mecgw.sync.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Captures of the tests: settings named by one convention, a sink that acknowledges every change, one wait for a
 * running capture.
 */
final class CaptureFixtures {

    private CaptureFixtures() {}

    /**
     * Settings of a capture called {@code name} (offset store {@code sync-<name>}, slot {@code slot_<name>},
     * publication {@code pub_<name>}) of one table, user {@code postgres} without password, no pass-through keys.
     *
     * @param table the captured table, {@code schema.table}
     * @param poll how long the engine waits for changes before it polls again
     */
    static CaptureSettings settings(String name, String siteId, String jdbcUrl, String table, Duration poll) {
        return new CaptureSettings(
                "sync-" + name,
                siteId,
                jdbcUrl,
                "postgres",
                null,
                List.of(table),
                "slot_" + name,
                "pub_" + name,
                poll,
                Map.of());
    }

    /** @return a sink that acknowledges every change at once and keeps nothing */
    static ChangeSink acknowledgingSink() {
        return new ChangeSink() {
            @Override
            public CompletableFuture<Void> send(ChangeEvent event) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void close() {}
        };
    }

    /**
     * Starts {@code capture} and waits up to {@code within} until it streams; when it stopped instead, fails the test
     * with the capture's own reason.
     *
     * @return {@code capture}, running
     */
    static <C extends ChangeCapture> C startAndAwaitRunning(C capture, Duration within) {
        capture.start();
        await().atMost(within)
                .until(() -> capture.state() == CaptureState.RUNNING || capture.state() == CaptureState.FAILED);
        assertThat(capture.state()).as(capture.failure().orElse("")).isEqualTo(CaptureState.RUNNING);
        return capture;
    }
}
