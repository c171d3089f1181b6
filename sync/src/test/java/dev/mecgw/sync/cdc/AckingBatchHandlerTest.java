package dev.mecgw.sync.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mecgw.testsupport.logging.CapturedWarnings;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class AckingBatchHandlerTest {

    private final List<Long> sent = java.util.Collections.synchronizedList(new ArrayList<>());
    private final RecordingCommitter committer = new RecordingCommitter();

    @Test
    void shouldMarkEveryRecordInOrderWhenSinkAcknowledgesAll() throws Exception {
        // given
        AckingBatchHandler handler = givenAHandler(event -> CompletableFuture.completedFuture(null), () -> false);
        // when
        handler.handleBatch(batch(1, 2, 3), committer);
        // then
        assertThat(committer.processed).containsExactly(1L, 2L, 3L);
        assertThat(committer.batchFinished).isTrue();
    }

    @Test
    void shouldResendFailedChangeAndMarkInOrderWhenSinkRefusesOnce() throws Exception {
        // given: the second change fails on its first send
        AtomicInteger calls = new AtomicInteger();
        AckingBatchHandler handler = givenAHandler(
                event -> calls.incrementAndGet() == 2
                        ? CompletableFuture.failedFuture(new IllegalStateException("link down"))
                        : CompletableFuture.completedFuture(null),
                () -> false);
        // when
        handler.handleBatch(batch(1, 2, 3), committer);
        // then: 3 waits behind 2 (issue 14.7), 2 is sent again, nothing is skipped, marks stay in order
        assertThat(sent).containsExactly(1L, 2L, 2L, 3L);
        assertThat(committer.processed).containsExactly(1L, 2L, 3L);
    }

    @Test
    void shouldMarkNothingUnacknowledgedWhenStoppingDuringOutage() {
        // given: acknowledgements never come
        AtomicBoolean stopping = new AtomicBoolean(true);
        AckingBatchHandler handler = givenAHandler(event -> new CompletableFuture<>(), stopping::get);
        // when / then
        assertThatThrownBy(() -> handler.handleBatch(batch(1, 2), committer)).isInstanceOf(InterruptedException.class);
        assertThat(committer.processed).isEmpty();
        assertThat(committer.batchFinished).isFalse();
    }

    @Test
    void shouldReturnBeforeAcksAndMarkInOrderLaterWhenBacklogDrains() throws Exception {
        // given: full batches (3 records), acknowledgements completed by the test in any order
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        AtomicBoolean linkFast = new AtomicBoolean();
        AckingBatchHandler handler = givenAHandler(
                event -> {
                    CompletableFuture<Void> ack =
                            linkFast.get() ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
                    acks.add(ack);
                    return ack;
                },
                () -> false);
        // when: the first full batch returns without any acknowledgement
        handler.handleBatch(batch(1, 2, 3), committer);
        assertThat(committer.processed).isEmpty();
        acks.get(1).complete(null);
        acks.get(0).complete(null);
        acks.get(2).completeExceptionally(new IllegalStateException("timeout"));
        handler.handleBatch(batch(4, 5, 6), committer);
        // then: only the acknowledged head is marked, in order; the failed record is sent again, before the newer ones
        assertThat(committer.processed).containsExactly(1L, 2L);
        assertThat(sent).containsExactly(1L, 2L, 3L, 3L, 4L, 5L, 6L);
        // when: everything is acknowledged and the source has caught up (a short batch)
        acks.subList(3, acks.size()).forEach(a -> a.complete(null));
        linkFast.set(true);
        handler.handleBatch(batch(7), committer);
        // then: waits for 7 too, and the marks stay in order
        assertThat(committer.processed).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void shouldTryOneSendPerRoundWhenSendsFailAtOnceDuringOutage() throws Exception {
        // given: a producer without metadata while the link is down: every send fails at once (after max.block.ms)
        AtomicBoolean linkUp = new AtomicBoolean();
        AtomicInteger failedSends = new AtomicInteger();
        AckingBatchHandler handler = givenAHandler(
                event -> {
                    if (linkUp.get()) {
                        return CompletableFuture.completedFuture(null);
                    }
                    if (failedSends.incrementAndGet() == 3) {
                        linkUp.set(true);
                    }
                    throw new IllegalStateException("metadata not available");
                },
                () -> false);
        // when: a short batch meets the outage, which ends during the third round
        handler.handleBatch(batch(1, 2, 3), committer);
        // then: each round tried one send, not one per record (issue 14.7), and the order held
        assertThat(sent).containsExactly(1L, 1L, 1L, 1L, 2L, 3L);
        assertThat(committer.processed).containsExactly(1L, 2L, 3L);
    }

    @Test
    void shouldHoldBulkBatchWhileCriticalLaneHasPendingChanges() throws Exception {
        // given: a gate whose critical lane has a change waiting for the cloud
        LaneGate gate = new LaneGate(Duration.ofMinutes(5));
        LaneGate.Session critical = gate.critical().session();
        critical.pending(1, false);
        AckingBatchHandler bulk = givenAHandlerOnLane(gate.bulk());
        // when
        CompletableFuture<Void> handled = new CompletableFuture<>();
        Thread capture = new Thread(
                () -> {
                    try {
                        bulk.handleBatch(batch(1, 2), committer);
                        handled.complete(null);
                    } catch (Throwable e) {
                        handled.completeExceptionally(e);
                    }
                },
                "bulk-capture");
        capture.setDaemon(true);
        capture.start();
        // then: the capture parks at the gate, before its first send: nothing of the bulk batch has left (a state
        // to wait for instead of a "nothing within N ms" window, issue 13)
        await().atMost(Duration.ofSeconds(30)).until(() -> waitsAtTheGate(capture));
        assertThat(sent).isEmpty();
        // and it goes on once the critical lane drained
        critical.pending(0, false);
        handled.get(30, TimeUnit.SECONDS);
        assertThat(sent).containsExactly(1L, 2L);
    }

    @Test
    void shouldKeepCriticalLanePendingWhenItsTransactionIsSplitOverTwoBatches() throws Exception {
        // given: a critical capture whose sink acknowledges at once, and one transaction of three changes that
        // Debezium hands over in two batches (decoding slower than the poll, soak run s8c1: 1 of 30 changes)
        LaneGate gate = new LaneGate(Duration.ofMinutes(5));
        AckingBatchHandler critical = givenAHandlerOnLane(gate.critical());
        // when: the first part is sent and acknowledged
        critical.handleBatch(
                records(
                        DebeziumRecords.transactionMarker("BEGIN", "740:100", 100, null),
                        DebeziumRecords.changeInTransaction(101, 101, "740:100")),
                committer);
        // then: the critical lane still counts as pending, so the bulk lane stays at the gate
        assertThat(sent).containsExactly(101L);
        assertThat(committer.processed).containsExactly(100L, 101L);
        assertThat(gate.criticalPending()).isTrue();
        // when: the rest of the transaction and its END arrive
        critical.handleBatch(
                records(
                        DebeziumRecords.changeInTransaction(102, 102, "740:100"),
                        DebeziumRecords.changeInTransaction(103, 103, "740:100"),
                        DebeziumRecords.transactionMarker("END", "740:100", 104, 3L)),
                committer);
        // then: the gate opens; the markers were marked processed (offsets advance) but never sent to the cloud
        assertThat(gate.criticalPending()).isFalse();
        assertThat(sent).containsExactly(101L, 102L, 103L);
        assertThat(committer.processed).containsExactly(100L, 101L, 102L, 103L, 104L);
    }

    @Test
    void shouldKeepCriticalLanePendingAfterStartUntilItReadItsStartBarrier() throws Exception {
        // given: a critical capture just started; before its start a bulk transaction and then a critical one were
        // committed (soak run s9f1)
        LaneGate gate = new LaneGate(Duration.ofMinutes(5));
        List<String> written = new ArrayList<>();
        StartBarrier barrier = StartBarrier.forNewStart(
                "critical",
                prefix -> {
                    written.add(prefix);
                    return StartBarrier.Written.YES;
                },
                Instant::now);
        // (the gate left open by an earlier start of the capture: this start's session closes it)
        gate.critical().session().pending(0, false);
        AckingBatchHandler critical = givenACriticalHandler(gate, barrier);
        // when: its first batch holds only the markers of the bulk transaction (no captured change in it)
        critical.handleBatch(
                records(
                        DebeziumRecords.transactionMarker("BEGIN", "739:90", 90, null),
                        DebeziumRecords.transactionMarker("END", "739:90", 91, 0L)),
                committer);
        // then: nothing pending and no transaction open, yet the bulk lane stays at the gate: more may be to come
        assertThat(sent).isEmpty();
        assertThat(gate.criticalPending()).isTrue();
        // when: a message of an earlier start, then the critical transaction, then this start's barrier arrive
        critical.handleBatch(
                records(
                        DebeziumRecords.logicalMessage(StartBarrier.PREFIX + "an-earlier-start", 92),
                        DebeziumRecords.transactionMarker("BEGIN", "740:100", 100, null),
                        DebeziumRecords.changeInTransaction(101, 101, "740:100")),
                committer);
        assertThat(gate.criticalPending()).isTrue();
        critical.handleBatch(
                records(
                        DebeziumRecords.transactionMarker("END", "740:100", 102, 1L),
                        DebeziumRecords.logicalMessage(barrier.prefix(), 103)),
                committer);
        // then: the gate opens once the critical change was acknowledged and the barrier read; nothing but the
        // change was sent, and the barrier was written once
        assertThat(gate.criticalPending()).isFalse();
        assertThat(barrier.readBack()).isTrue();
        assertThat(sent).containsExactly(101L);
        assertThat(committer.processed).containsExactly(90L, 91L, 92L, 100L, 101L, 102L, 103L);
        assertThat(written).containsExactly(barrier.prefix());
    }

    @Test
    void shouldWriteTheStartBarrierOnlyOnceItsSlotExists() throws Exception {
        // given: a start whose slot Debezium creates only later (a task start it retried)
        LaneGate gate = new LaneGate(Duration.ofMinutes(5));
        AtomicBoolean slotExists = new AtomicBoolean();
        AtomicInteger writes = new AtomicInteger();
        StartBarrier barrier = StartBarrier.forNewStart(
                "critical",
                prefix -> {
                    if (!slotExists.get()) {
                        return StartBarrier.Written.NOT_YET;
                    }
                    writes.incrementAndGet();
                    return StartBarrier.Written.YES;
                },
                Instant::now);
        AckingBatchHandler critical = givenACriticalHandler(gate, barrier);
        // when: polling starts before the slot exists
        barrier.writeWhenDue();
        // then: nothing written, the gate stays closed
        assertThat(writes).hasValue(0);
        // when: the slot exists and batches come
        slotExists.set(true);
        critical.handleBatch(records(DebeziumRecords.heartbeat()), committer);
        critical.handleBatch(records(DebeziumRecords.heartbeat()), committer);
        // then: written once, and the gate waits for it
        assertThat(writes).hasValue(1);
        assertThat(gate.criticalPending()).isTrue();
    }

    @Test
    void shouldGiveUpTheStartBarrierWhenItIsNotReadBackInTime() throws Exception {
        // given: a barrier written that never comes back (a pass-through setting filtering logical messages)
        LaneGate gate = new LaneGate(Duration.ofMinutes(5));
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T23:00:00Z"));
        StartBarrier barrier = StartBarrier.forNewStart("critical", prefix -> StartBarrier.Written.YES, now::get);
        AckingBatchHandler critical = givenACriticalHandler(gate, barrier);
        critical.handleBatch(records(DebeziumRecords.heartbeat()), committer);
        assertThat(gate.criticalPending()).isTrue();
        // when: heartbeats come after the give-up time
        now.set(now.get().plus(StartBarrier.GIVE_UP_AFTER).plusSeconds(1));
        // then: the gate follows the capture's reports alone again (nothing pending: open), not read back, and the
        // operator is told once
        assertGivenUpOnTheNextHeartbeat(
                gate,
                barrier,
                critical,
                "sync capture 'critical' did not read back the mark of its start within 5 min");
    }

    @Test
    void shouldPassTheStartBarrierAtOnceWhenTheServerStreamsNoMessages() throws Exception {
        // given: a server before PostgreSQL 14
        LaneGate gate = new LaneGate(Duration.ofMinutes(5));
        StartBarrier barrier = StartBarrier.forNewStart("critical", prefix -> StartBarrier.Written.NEVER, Instant::now);
        AckingBatchHandler critical = givenACriticalHandler(gate, barrier);
        // when
        critical.handleBatch(records(DebeziumRecords.heartbeat()), committer);
        // then
        assertThat(gate.criticalPending()).isFalse();
    }

    @Test
    void shouldGiveUpTheStartBarrierWhenTheDatabaseRefusesIt() throws Exception {
        // given
        LaneGate gate = new LaneGate(Duration.ofMinutes(5));
        StartBarrier barrier = StartBarrier.forNewStart(
                "critical",
                prefix -> {
                    throw new java.sql.SQLException("permission denied", "42501");
                },
                Instant::now);
        AckingBatchHandler critical = givenACriticalHandler(gate, barrier);
        // when a heartbeat comes, then: as before the barrier, the first report decides, and the operator is told why
        assertGivenUpOnTheNextHeartbeat(
                gate,
                barrier,
                critical,
                "sync capture 'critical' could not mark its start in the WAL (permission denied)");
    }

    /**
     * The barrier given up: after the next heartbeat the gate is open, the barrier was not read back, and
     * {@link StartBarrier} warned exactly once, with {@code warning}.
     */
    private void assertGivenUpOnTheNextHeartbeat(
            LaneGate gate, StartBarrier barrier, AckingBatchHandler critical, String warning) throws Exception {
        List<String> warnings =
                startBarrierWarningsDuring(() -> critical.handleBatch(records(DebeziumRecords.heartbeat()), committer));
        assertThat(gate.criticalPending()).isFalse();
        assertThat(barrier.readBack()).isFalse();
        assertThat(warnings).singleElement().asString().contains(warning);
    }

    private AckingBatchHandler givenACriticalHandler(LaneGate gate, StartBarrier barrier) {
        return new AckingBatchHandler(
                new ChangeEventMapper("site", 1L),
                recordingSink(event -> CompletableFuture.completedFuture(null)),
                Duration.ofMillis(1),
                () -> false,
                3,
                6,
                gate.critical().session(),
                barrier);
    }

    /** A batch handled, or something else that may throw. */
    interface Step {
        void run() throws Exception;
    }

    /** @return the WARN (and worse) messages {@link StartBarrier} logged during {@code step}, formatted */
    private static List<String> startBarrierWarningsDuring(Step step) throws Exception {
        try (CapturedWarnings warnings = CapturedWarnings.of(StartBarrier.class)) {
            step.run();
            return warnings.messages();
        }
    }

    /** Whether {@code thread} is waiting inside {@link LaneGate} (the bulk lane's wait for the critical one). */
    private static boolean waitsAtTheGate(Thread thread) {
        if (thread.getState() != Thread.State.TIMED_WAITING && thread.getState() != Thread.State.WAITING) {
            return false;
        }
        return Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(LaneGate.class.getName())
                        && frame.getMethodName().equals("awaitCriticalDrained"));
    }

    /** A handler of full batches of 3 whose sink acknowledges at once, taking part in {@code lane}. */
    private AckingBatchHandler givenAHandlerOnLane(LaneGate.Lane lane) {
        return new AckingBatchHandler(
                new ChangeEventMapper("site", 1L),
                recordingSink(event -> CompletableFuture.completedFuture(null)),
                Duration.ofMillis(1),
                () -> false,
                3,
                6,
                lane.session(),
                StartBarrier.none());
    }

    private AckingBatchHandler givenAHandler(ChangeSinkFunction acks, java.util.function.BooleanSupplier stopping) {
        return new AckingBatchHandler(
                new ChangeEventMapper("site", 1L),
                recordingSink(acks),
                Duration.ofMillis(1),
                stopping,
                3,
                6,
                LaneGate.Session.NONE,
                StartBarrier.none());
    }

    private ChangeSink recordingSink(ChangeSinkFunction acks) {
        return new ChangeSink() {
            @Override
            public CompletableFuture<Void> send(ChangeEvent event) {
                sent.add(event.lsn());
                return acks.send(event);
            }

            @Override
            public void close() {}
        };
    }

    interface ChangeSinkFunction {
        CompletableFuture<Void> send(ChangeEvent event);
    }

    private static SourceRecord change(long lsn) {
        return DebeziumRecords.change("c", lsn, lsn);
    }

    private static List<RecordChangeEvent<SourceRecord>> records(SourceRecord... records) {
        List<RecordChangeEvent<SourceRecord>> batch = new ArrayList<>();
        for (SourceRecord record : records) {
            batch.add(() -> record);
        }
        return batch;
    }

    private static List<RecordChangeEvent<SourceRecord>> batch(long... lsns) {
        List<RecordChangeEvent<SourceRecord>> records = new ArrayList<>();
        for (long lsn : lsns) {
            SourceRecord record = DebeziumRecords.change("c", lsn, lsn);
            records.add(() -> record);
        }
        return records;
    }

    private static final class RecordingCommitter
            implements DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> {
        final List<Long> processed = new ArrayList<>();
        boolean batchFinished;

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record) {
            processed.add((Long) record.record().sourceOffset().get("lsn"));
        }

        @Override
        public void markBatchFinished() {
            batchFinished = true;
        }

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets offsets) {
            markProcessed(record);
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            throw new UnsupportedOperationException();
        }
    }
}
