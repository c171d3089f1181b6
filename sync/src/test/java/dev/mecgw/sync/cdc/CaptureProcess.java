package dev.mecgw.sync.cdc;

import static org.awaitility.Awaitility.await;

import dev.mecgw.sync.backhaul.BackhaulMonitor;
import dev.mecgw.sync.kafka.KafkaChangeSink;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A gateway stand-in for the kill -9 test: runs one capture in its own JVM until killed.
 * Arguments: jdbcUrl bootstrapServers name siteId table slot.
 */
public final class CaptureProcess {

    private CaptureProcess() {}

    public static void main(String[] args) throws Exception {
        CaptureSettings settings = new CaptureSettings(
                args[2],
                args[3],
                args[0],
                "postgres",
                null,
                List.of(args[4]),
                args[5],
                args[5],
                Duration.ofMillis(500),
                Map.of());
        KafkaChangeSink sink = KafkaChangeSink.create(
                args[1], "zstd", Map.of(), new BackhaulMonitor(Clock.systemUTC(), Duration.ofSeconds(5)));
        DebeziumChangeCapture capture = new DebeziumChangeCapture(settings, sink);
        capture.start();
        // The parent test bounds the whole wait by reading this process's output; this bound only ends a stray child.
        await().atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> capture.state() == CaptureState.RUNNING || capture.state() == CaptureState.FAILED);
        if (capture.state() == CaptureState.FAILED) {
            System.out.println("FAILED " + capture.failure().orElse(""));
            System.exit(1);
        }
        System.out.println("RUNNING");
        System.out.flush();
        Thread.currentThread().join();
    }
}
