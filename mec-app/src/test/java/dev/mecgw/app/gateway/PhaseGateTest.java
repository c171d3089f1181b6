package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.testsupport.logging.CapturedWarnings;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PhaseGateTest {

    /** Far longer than these tests wait: only the bounded-close case runs out its close wait. */
    private final PhaseGate gate = new PhaseGate("test job", Duration.ofMinutes(5));

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
        PhaseGate bounded = new PhaseGate("stuck partition DDL", Duration.ofMillis(100));
        CountDownLatch release = new CountDownLatch(1);
        Thread job = givenAJobInFlight(bounded, release);
        try (CapturedWarnings warnings = CapturedWarnings.of(PhaseGate.class)) {
            // when the phase stops
            CountDownLatch closed = new CountDownLatch(1);
            DaemonThreads.start("phase-gate-stop", () -> {
                bounded.close();
                closed.countDown();
            });

            // then the close returns once its bound ran out, with a warning naming the job, and no run starts after it
            assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(warnings.messages()).singleElement().asString().contains("'stuck partition DDL'");
            assertThat(job.isAlive()).isTrue();
            AtomicInteger runs = new AtomicInteger();
            bounded.run(runs::incrementAndGet);
            assertThat(runs).hasValue(0);
        } finally {
            release.countDown();
            job.join(30_000);
        }
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
