package dev.mecgw.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.telemetry.Reading;
import dev.mecgw.app.telemetry.TelemetryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitWriterTest {

    private final List<List<Reading>> committed = new CopyOnWriteArrayList<>();
    private final AtomicBoolean storeDown = new AtomicBoolean();
    private final CountDownLatch gate = new CountDownLatch(1);
    private volatile boolean gated;
    private GroupCommitWriter ingest;

    @AfterEach
    void close() {
        gate.countDown();
        ingest.close();
    }

    @Test
    void shouldCompleteOnlyAfterTheBatchIsCommitted() throws Exception {
        // given a store that blocks until released
        gated = true;
        ingest = givenAnIngest(1000, 1);
        // when
        CompletableFuture<Void> done = ingest.write(List.of(reading(1))).toCompletableFuture();
        // then
        Thread.onSpinWait();
        assertThat(done.isDone()).isFalse();
        gate.countDown();
        done.get(30, TimeUnit.SECONDS);
        assertThat(committed).hasSize(1);
    }

    @Test
    void shouldGroupManySubmissionsIntoFewBatches() throws Exception {
        ingest = givenAnIngest(500, 1);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            all.add(ingest.write(List.of(reading(i))).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(committed.stream().mapToInt(List::size).sum()).isEqualTo(2000);
        assertThat(committed.size()).isLessThan(2000);
        assertThat(committed).allSatisfy(batch -> assertThat(batch.size()).isLessThanOrEqualTo(500 + 1));
    }

    @Test
    void shouldFailSubmissionsAndKeepRunningWhenStoreIsDown() throws Exception {
        ingest = givenAnIngest(100, 1);
        storeDown.set(true);
        CompletableFuture<Void> failed = ingest.write(List.of(reading(1))).toCompletableFuture();
        await().atMost(Duration.ofSeconds(30)).until(failed::isDone);
        assertThat(failed).isCompletedExceptionally();
        assertThat(kindOf(failed)).contains(ErrorKind.UNAVAILABLE);
        // the writer survives and commits once the store is back
        storeDown.set(false);
        ingest.write(List.of(reading(2))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(committed).hasSize(1);
    }

    @Test
    void shouldNotifyListenersOnlyOfCommittedReadings() throws Exception {
        // given a listener that throws, which must not disturb ingest
        List<Reading> seen = new CopyOnWriteArrayList<>();
        ingest = new GroupCommitWriter(
                givenAStore(),
                new FixedConfig(100, Duration.ofMillis(2), 1000, 1),
                new SimpleMeterRegistry(),
                List.of(seen::addAll, readings -> {
                    throw new IllegalStateException("listener bug");
                }));
        // when one batch fails and the next commits
        storeDown.set(true);
        CompletableFuture<Void> failed = ingest.write(List.of(reading(1))).toCompletableFuture();
        await().atMost(Duration.ofSeconds(30)).until(failed::isDone);
        storeDown.set(false);
        ingest.write(List.of(reading(2))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        // then only the committed reading was announced
        await().atMost(Duration.ofSeconds(30)).until(() -> !seen.isEmpty());
        assertThat(seen).containsExactly(reading(2));
    }

    @Test
    void shouldFailOnlyTheRefusedMessageWhenItsBatchFails() throws Exception {
        // given: a batch holding good messages of several devices and one the store refuses (issue 15)
        gated = true;
        ingest = givenAnIngest(1000, 1000);
        List<CompletableFuture<Void>> good = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            good.add(ingest.write(List.of(reading(i))).toCompletableFuture());
        }
        CompletableFuture<Void> bad = ingest.write(List.of(new Reading("attacker", "poison", Instant.EPOCH, 1)))
                .toCompletableFuture();
        for (int i = 20; i < 40; i++) {
            good.add(ingest.write(List.of(reading(i))).toCompletableFuture());
        }
        // when
        gate.countDown();
        // then
        CompletableFuture.allOf(good.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(bad::isDone);
        assertThat(kindOf(bad)).contains(ErrorKind.UNAVAILABLE);
        assertThat(committed.stream().mapToInt(List::size).sum()).isEqualTo(40);
    }

    @Test
    void shouldRejectFastWhenQueueIsFull() throws Exception {
        gated = true;
        ingest = givenAnIngest(1, 2);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(ingest.write(List.of(reading(i))).toCompletableFuture());
        }
        assertThat(all).anySatisfy(f -> assertThat(kindOf(f)).contains(ErrorKind.QUOTA_EXCEEDED));
    }

    @Test
    void shouldThrottleTheFloodingDeviceFirstAndKeepOthersShareWhenTheQueueFillsUp() throws Exception {
        // given a store stuck in a commit, 64 MiB of queue and 8 MiB per device (issue 15 item 4)
        gated = true;
        List<String> throttledDevices = new CopyOnWriteArrayList<>();
        ingest = new GroupCommitWriter(
                givenAStore(),
                new FixedConfig(1000, Duration.ofMillis(2), 100_000, 1),
                new SimpleMeterRegistry(),
                List.of(),
                (device, bytes) -> throttledDevices.add(device));

        // when a flooder sends 200 messages of 1000 readings (~25 MB), then another device sends 50
        List<CompletableFuture<Void>> flood = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            flood.add(ingest.write(readings("flooder", 1000)).toCompletableFuture());
        }
        List<CompletableFuture<Void>> fair = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fair.add(ingest.write(readings("fair", 1)).toCompletableFuture());
        }

        // then the flooder is throttled within its share and the other device's messages all get through
        assertThat(flood).anySatisfy(f -> assertThat(kindOf(f)).contains(ErrorKind.QUOTA_EXCEEDED));
        assertThat(throttledDevices).isNotEmpty().containsOnly("flooder");
        gate.countDown();
        CompletableFuture.allOf(fair.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(committed.stream()
                        .flatMap(List::stream)
                        .filter(r -> r.deviceId().equals("fair")))
                .hasSize(50);
    }

    @Test
    void shouldRefuseAMessageWithMoreReadingsThanTheCap() {
        // given a cap of 1000 readings per message
        ingest = givenAnIngest(100, 1000);

        // when
        CompletableFuture<Void> refused = ingest.write(readings("d", 1001)).toCompletableFuture();

        // then
        assertThat(kindOf(refused)).contains(ErrorKind.BAD_REQUEST);
    }

    private static List<Reading> readings(String device, int count) {
        List<Reading> readings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            readings.add(new Reading(device, "m" + i, Instant.ofEpochSecond(i), i));
        }
        return readings;
    }

    private GroupCommitWriter givenAnIngest(int batchSize, int capacity) {
        IngestConfig config = new FixedConfig(batchSize, Duration.ofMillis(2), capacity == 2 ? 2 : 100_000, 1);
        return new GroupCommitWriter(givenAStore(), config, new SimpleMeterRegistry());
    }

    private TelemetryStore givenAStore() {
        return new TelemetryStore() {
            @Override
            public int append(List<Reading> batch) {
                if (gated) {
                    try {
                        gate.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (storeDown.get()) {
                    throw new IllegalStateException("connection refused");
                }
                if (batch.stream().anyMatch(r -> r.metric().equals("poison"))) {
                    throw new IllegalStateException("timestamp out of range");
                }
                committed.add(List.copyOf(batch));
                return batch.size();
            }

            @Override
            public List<Reading> query(String d, String m, Instant f, Instant t, int l) {
                return List.of();
            }
        };
    }

    private static Optional<ErrorKind> kindOf(CompletableFuture<Void> future) {
        if (!future.isCompletedExceptionally()) {
            return Optional.empty();
        }
        try {
            future.join();
            return Optional.empty();
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause() instanceof GatewayException g ? Optional.of(g.kind()) : Optional.empty();
        }
    }

    private record FixedConfig(int batchSize, Duration linger, int queueCapacity, int writers) implements IngestConfig {

        @Override
        public Instant earliestTimestamp() {
            return Instant.EPOCH;
        }

        @Override
        public Duration maxFutureSkew() {
            return Duration.ofDays(1);
        }

        @Override
        public long queueMaxBytes() {
            return 64L << 20;
        }

        @Override
        public long deviceMaxBytes() {
            return 8L << 20;
        }

        @Override
        public int maxReadingsPerMessage() {
            return 1000;
        }
    }

    private static Reading reading(int i) {
        return new Reading("d", "m", Instant.ofEpochSecond(i), i);
    }
}
