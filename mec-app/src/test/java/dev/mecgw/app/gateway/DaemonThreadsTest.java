package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gateway's background threads keep the names operators read in thread dumps, and never keep the JVM up. */
class DaemonThreadsTest {

    @Test
    void shouldNumberDaemonThreadsWhenThePatternHasACounter() {
        // given
        ThreadFactory factory = DaemonThreads.named("mecgw-test-%d");

        // when
        Thread first = factory.newThread(() -> {});
        Thread second = factory.newThread(() -> {});

        // then
        assertThat(first.getName()).isEqualTo("mecgw-test-1");
        assertThat(second.getName()).isEqualTo("mecgw-test-2");
        assertThat(first.isDaemon()).isTrue();
        assertThat(DaemonThreads.named("mecgw-store").newThread(() -> {}).getName())
                .isEqualTo("mecgw-store");
    }

    @Test
    void shouldRunTheTaskOnANamedDaemonThreadWhenStarted() throws InterruptedException {
        // given
        CountDownLatch ran = new CountDownLatch(1);
        String[] runningAs = new String[1];

        // when
        Thread thread = DaemonThreads.start("mecgw-test-once", () -> {
            runningAs[0] = Thread.currentThread().getName();
            ran.countDown();
        });

        // then
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(runningAs[0]).isEqualTo("mecgw-test-once");
        assertThat(thread.isDaemon()).isTrue();
        assertThat(DaemonThreads.unstarted("mecgw-later", () -> {}).getState()).isEqualTo(Thread.State.NEW);
    }
}
