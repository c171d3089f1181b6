package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.testsupport.logging.CapturedWarnings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PhaseGateTest {

    /** Far longer than these tests wait: only the bounded cases run out a close wait or a deadline. */
    private static final Duration LONG = Duration.ofMinutes(5);

    private final PhaseGate gate = new PhaseGate("test job", LONG, givenALongDeadline());

    @Test
    void shouldRunJobsUntilClosedAndNoneAfter() throws Exception {
        // given an open gate that ran a job
        AtomicInteger runs = new AtomicInteger();
        gate.run(runs::incrementAndGet);

        // when it is closed
        gate.close();
        gate.run(runs::incrementAndGet);

        // then only the run before the close took place
        assertThat(runs).hasValue(1);
    }

    @Test
    void shouldCloseOnlyAfterTheRunInFlight() throws Exception {
        // given a job in flight
        CountDownLatch release = new CountDownLatch(1);
        Thread job = givenAJobInFlight(release);

        // when the phase stops meanwhile
        AtomicBoolean closed = new AtomicBoolean();
        Thread stop = DaemonThreads.start("phase-gate-stop", () -> {
            gate.close();
            closed.set(true);
        });

        // then the close waits for the job (the stop thread waits on the gate), and returns once it ended
        await().atMost(Duration.ofSeconds(30)).until(() -> stop.getState() == Thread.State.TIMED_WAITING);
        assertThat(closed).isFalse();
        release.countDown();
        job.join(30_000);
        stop.join(30_000);
        assertThat(closed).isTrue();
    }

    @Test
    void shouldLetRunsOverlap() throws Exception {
        // given a job in flight
        CountDownLatch release = new CountDownLatch(1);
        Thread job = givenAJobInFlight(release);

        // when another job of the same gate runs meanwhile
        AtomicInteger runs = new AtomicInteger();
        gate.run(runs::incrementAndGet);

        // then it ran without waiting for the first one
        assertThat(runs).hasValue(1);
        release.countDown();
        job.join(30_000);
    }

    @Test
    void shouldStopWaitingAfterItsBoundAndWarnWhenAJobNeverEnds() throws Exception {
        // given a gate with a short close wait, and a job in flight that does not end
        PhaseGate bounded = new PhaseGate("stuck partition DDL", Duration.ofMillis(100), givenALongDeadline());
        CountDownLatch release = new CountDownLatch(1);
        Thread job = givenAJobInFlight(bounded, release);
        try (CapturedWarnings warnings = CapturedWarnings.of(PhaseGate.class)) {
            // when the phase stops
            CountDownLatch closed = stopping(bounded::close);

            // then the close returns once its bound ran out, with a warning naming the job, and no run starts after it
            assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(warnings.messages()).singleElement().asString().contains("'stuck partition DDL'");
            assertThat(job.isAlive()).isTrue();
            assertThat(runsAfterTheClose(bounded)).isFalse();
        } finally {
            release.countDown();
            job.join(30_000);
        }
    }

    @Test
    void shouldCloseGatesWithHungJobsWithinOneSharedDeadlineWhenTheyCloseOneAfterTheOther() throws Exception {
        // given three gates of one shutdown, each with a close wait far longer than the test, and each holding a job
        // that does not end (three such gates in SYNC's stop cost 90 s before review 10, 4, past ExitHook's 60 s)
        StopDeadline deadline = new StopDeadline(Duration.ofMillis(200), System::nanoTime);
        List<PhaseGate> gates = Stream.of("rollup", "retention", "disk guard")
                .map(job -> new PhaseGate(job, LONG, deadline))
                .toList();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> jobs = new ArrayList<>();
        try (CapturedWarnings warnings = CapturedWarnings.of(PhaseGate.class)) {
            for (PhaseGate hung : gates) {
                jobs.add(givenAJobInFlight(hung, release));
            }

            // when the stop begins and closes the gates one after the other, as successive stop observers do
            deadline.start();
            CountDownLatch closed = stopping(() -> gates.forEach(PhaseGate::close));

            // then every close returned within the one budget (their own bounds would take 15 minutes): the first
            // waited out the deadline, the later ones found it passed and waited not at all; each named its job
            assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(deadline.passed()).isTrue();
            assertThat(warnings.messages())
                    .hasSize(3)
                    .allSatisfy(warning -> assertThat(warning).contains("at the shutdown's deadline, 200 ms after"));
            assertThat(warnings.messages().get(0)).contains("'rollup'");
            assertThat(warnings.messages().get(1)).contains("'retention'", "its gate waited 0 ms");
            assertThat(warnings.messages().get(2)).contains("'disk guard'", "its gate waited 0 ms");
            assertThat(jobs).allMatch(Thread::isAlive);
        } finally {
            release.countDown();
            for (Thread job : jobs) {
                job.join(30_000);
            }
        }
    }

    @Test
    void shouldReturnAtOnceAndStillWarnWhenClosedAfterTheDeadlinePassed() throws Exception {
        // given a deadline that passed on a clock that stands still, and a gate with a job that does not end
        AtomicLong clock = new AtomicLong();
        StopDeadline deadline = new StopDeadline(Duration.ofMillis(200), clock::get);
        deadline.start();
        clock.set(Duration.ofMillis(200).toNanos());
        PhaseGate late = new PhaseGate("OTA rollout tick", LONG, deadline);
        CountDownLatch release = new CountDownLatch(1);
        Thread job = givenAJobInFlight(late, release);
        try (CapturedWarnings warnings = CapturedWarnings.of(PhaseGate.class)) {
            // when its phase stops
            CountDownLatch closed = stopping(late::close);

            // then the close returns (the clock stands still: a close that waited at all would never return), naming
            // the job it leaves running, and no run starts after it
            assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(warnings.messages())
                    .singleElement()
                    .asString()
                    .contains("'OTA rollout tick'", "at the shutdown's deadline", "its gate waited 0 ms");
            assertThat(job.isAlive()).isTrue();
            assertThat(runsAfterTheClose(late)).isFalse();
        } finally {
            release.countDown();
            job.join(30_000);
        }
    }

    @Test
    void shouldCloseAtOnceWithoutWarningWhenNoRunIsInFlightWhateverTheDeadline() throws Exception {
        // given gates without runs in flight, one of a stop whose deadline passed and one whose deadline has not
        // started, on a clock that stands still
        StopDeadline passed = new StopDeadline(Duration.ZERO, () -> 0L);
        passed.start();
        StopDeadline notStarted = new StopDeadline(LONG, () -> 0L);
        PhaseGate idleAfterTheDeadline = new PhaseGate("rejected-payload flush", LONG, passed);
        PhaseGate idleBeforeIt = new PhaseGate("camera stream refresh", LONG, notStarted);
        try (CapturedWarnings warnings = CapturedWarnings.of(PhaseGate.class)) {
            // when their phases stop
            idleAfterTheDeadline.close();
            idleBeforeIt.close();

            // then both closed at once (this thread got here) without a warning, and run nothing after
            assertThat(runsAfterTheClose(idleAfterTheDeadline)).isFalse();
            assertThat(runsAfterTheClose(idleBeforeIt)).isFalse();
            assertThat(warnings.messages()).isEmpty();
        }
    }

    /** Runs {@code stop} on a thread of its own, as a phase's stop observer; the latch opens once it returned. */
    private static CountDownLatch stopping(Runnable stop) {
        CountDownLatch returned = new CountDownLatch(1);
        DaemonThreads.start("phase-gate-stop", () -> {
            stop.run();
            returned.countDown();
        });
        return returned;
    }

    /** Whether a job given to the closed {@code gate} runs. */
    private static boolean runsAfterTheClose(PhaseGate gate) {
        AtomicInteger runs = new AtomicInteger();
        gate.run(runs::incrementAndGet);
        return runs.get() > 0;
    }

    /** A shutdown deadline far beyond what these tests wait, on the real clock. */
    private static StopDeadline givenALongDeadline() {
        return new StopDeadline(LONG, System::nanoTime);
    }

    /** Starts a job of the gate that runs until {@code release}; returns once it runs. */
    private Thread givenAJobInFlight(CountDownLatch release) throws InterruptedException {
        return givenAJobInFlight(gate, release);
    }

    /** Starts a job of {@code gate} that runs until {@code release}; returns once it runs. */
    private static Thread givenAJobInFlight(PhaseGate gate, CountDownLatch release) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        Thread job = DaemonThreads.start("phase-gate-job", () -> {
            try {
                gate.run(() -> {
                    running.countDown();
                    release.await(30, TimeUnit.SECONDS);
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        return job;
    }
}
