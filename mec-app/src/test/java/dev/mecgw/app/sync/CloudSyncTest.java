package dev.mecgw.app.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.app.gateway.DaemonThreads;
import dev.mecgw.app.gateway.GatewayConfig;
import dev.mecgw.app.gateway.StopDeadline;
import dev.mecgw.app.store.HeldDatabase;
import dev.mecgw.sync.backhaul.BackhaulMonitor;
import dev.mecgw.sync.cdc.CaptureSettings;
import dev.mecgw.sync.cdc.ChangeSink;
import dev.mecgw.sync.cdc.DebeziumChangeCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link CloudSync#stop()} is terminal for the timers' work whatever order CDI runs the SYNC_STOP observers in
 * (review9 1.1, 1.4): it waits for a disk-guard run in flight, and later runs of the timers touch neither the store
 * nor a capture. The store is a pool whose first connection blocks until the test lets it fail: the seam that holds a
 * run in flight, not a database.
 */
class CloudSyncTest {

    private final HeldDatabase pool = new HeldDatabase().holdNext();
    private final AtomicInteger captureStarts = new AtomicInteger();

    @Test
    void shouldWaitForTheDiskGuardInFlightAndRunNoTimerWorkWhenStopped() throws Exception {
        // given a sync whose disk guard is in flight, held while reading its slot's backlog
        CloudSync sync = givenASyncWithOneChannel();
        Thread guard = DaemonThreads.start("cloud-sync-test-guard", sync::guardDisk);
        assertThat(pool.awaitHeld()).isTrue();

        // when SYNC stops meanwhile
        AtomicBoolean stopped = new AtomicBoolean();
        Thread stop = DaemonThreads.start("cloud-sync-test-stop", () -> {
            sync.stop();
            stopped.set(true);
        });

        // then the stop waits for the run in flight (a timed wait: PhaseGate.close is bounded), and returns once it
        // ended
        await().atMost(Duration.ofSeconds(30)).until(() -> stop.getState() == Thread.State.TIMED_WAITING);
        assertThat(stopped).isFalse();
        pool.release();
        guard.join(30_000);
        stop.join(30_000);
        assertThat(stopped).isTrue();

        // and later timer runs neither read the store nor start a capture
        int connections = pool.connections();
        AtomicInteger statusJobs = new AtomicInteger();
        sync.guardDisk();
        sync.probeBackhaul(Duration.ofSeconds(1));
        sync.sampleBacklog();
        sync.whileRunning(statusJobs::incrementAndGet);
        assertThat(pool.connections()).isEqualTo(connections);
        assertThat(statusJobs).hasValue(0);
        assertThat(captureStarts).hasValue(0);
    }

    private CloudSync givenASyncWithOneChannel() {
        SyncConfig config = stub(SyncConfig.class);
        CloudSync sync = new CloudSync(new CloudSync.Parts(
                config,
                stub(GatewayConfig.class),
                new CloudSync.Database("jdbc:postgresql://localhost/unused", null, null, pool),
                null,
                new SimpleMeterRegistry(),
                null,
                new StopDeadline()));
        CaptureSettings settings = new CaptureSettings(
                "mecgw-sync-bulk",
                "site",
                "jdbc:postgresql://localhost/unused",
                null,
                null,
                List.of("public.events"),
                "mecgw_sync_bulk",
                "mecgw_sync_bulk",
                Duration.ofSeconds(1),
                Map.of());
        sync.add(new SyncChannel(
                settings,
                true,
                new BackhaulMonitor(Clock.systemUTC(), Duration.ofSeconds(1)),
                this::countedSink,
                DebeziumChangeCapture.laneGate(Duration.ofSeconds(1)).bulk(),
                pool));
        return sync;
    }

    private ChangeSink countedSink() {
        // A capture (re)start builds its sink first; none may be built after the stop.
        captureStarts.incrementAndGet();
        throw new IllegalStateException("no capture in this test");
    }

    /** A config mapping answering every setting with a plain value of its type; sync stays unconfigured. */
    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> mapping) {
        return (T) Proxy.newProxyInstance(mapping.getClassLoader(), new Class<?>[] {mapping}, (proxy, method, args) -> {
            Class<?> type = method.getReturnType();
            if (type == Optional.class) {
                return Optional.empty();
            } else if (type == List.class) {
                return List.of();
            } else if (type == Map.class) {
                return Map.of();
            } else if (type == Duration.class) {
                return Duration.ofSeconds(1);
            } else if (type == long.class) {
                return 1L << 30;
            } else if (type == String.class) {
                return "site";
            } else if (type == Path.class) {
                return Path.of("unused");
            } else if (type.isInterface()) {
                return stub(type);
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }
}
