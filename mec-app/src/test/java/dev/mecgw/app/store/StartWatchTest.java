package dev.mecgw.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pg_ctl's verdict in the server's log ends zonky's wait and decides the start (issue 22). */
class StartWatchTest {

    @TempDir
    Path dir;

    private ServerLogFolder folder;

    @BeforeEach
    void givenTheCollectorsFolder() {
        folder = new ServerLogFolder(dir.resolve("postgres"), 64 * 1024);
    }

    @Test
    void shouldEndTheStartersWaitWhenPgCtlReportsThatTheServerStopped() throws Exception {
        // given a watched start whose server is about to stop
        ServerLog log = givenALog("initdb output of an earlier attempt\npg_ctl: could not start server\n");
        CountDownLatch zonkysWait = new CountDownLatch(1);
        try (StartWatch watch = StartWatch.begin(log, folder)) {
            Thread server = new Thread(() -> append(log, " stopped waiting\npg_ctl: could not start server\n"));

            // when
            server.start();

            // then the starter's wait ends, and the outcome says why
            assertThatThrownBy(() -> zonkysWait.await(60, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            watch.close();
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            assertThat(watch.outcome(Duration.ofSeconds(5)).stopped()).isTrue();
        }
    }

    @Test
    void shouldNotInterruptTheStarterWhenTheServerStarted() throws Exception {
        // given
        ServerLog log = givenALog("");
        StartWatch watch = StartWatch.begin(log, folder);

        // when
        append(log, "waiting for server to start.... done\nserver started\n");
        watch.close();

        // then
        StartWatch.Outcome outcome = watch.outcome(Duration.ofSeconds(5));
        assertThat(outcome.stopped()).isFalse();
        assertThat(outcome.output()).contains(StartWatch.STARTED);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void shouldReadWhyThePostmasterStoppedFromItsCollectorsFolderWhenItGotThatFar() throws Exception {
        // given a start whose postmaster started its logging collector
        ServerLog log = givenALog("");
        givenACollectorFile("postgresql-20261206-120000-000001.log", "FATAL:  an earlier run's last words\n");
        StartWatch watch = StartWatch.begin(log, folder);
        append(log, "waiting for server to start....LOG:  " + StartWatch.COLLECTOR + "\n");
        Path file = givenACollectorFile(
                "postgresql-20261206-130000.log",
                "LOG:  could not bind IPv4 address" + " \"127.0.0.1\": Address already in use\n");

        // when the postmaster stopped, and its last words reach its collector's file after pg_ctl's verdict
        append(log, " stopped waiting\npg_ctl: could not start server\n");
        watch.close();
        Thread collector = new Thread(() -> appendTo(file, "FATAL:  could not create any TCP/IP sockets\n"));
        collector.start();

        // then the outcome has them, and only this start's
        StartWatch.Outcome outcome = watch.outcome(Duration.ofSeconds(30));
        assertThat(outcome.stopped()).isTrue();
        assertThat(outcome.portTaken()).isTrue();
        assertThat(outcome.output()).doesNotContain("an earlier run's");
        collector.join();
    }

    @Test
    void shouldTryAnotherPortOnlyWhenThePortWasTheReasonToStop() {
        assertThat(new StartWatch.Outcome("LOG:  could not bind IPv4 address \"127.0.0.1\": Address already in use\n"
                                + "FATAL:  could not create any TCP/IP sockets\n")
                        .portTaken())
                .isTrue();
        assertThat(new StartWatch.Outcome("FATAL:  lock file \"/tmp/.s.PGSQL.40001.lock\" already exists\n"
                                + "HINT:  Is another postmaster (PID 4242) using socket file"
                                + " \"/tmp/.s.PGSQL.40001\"?\n")
                        .portTaken())
                .isTrue();
        assertThat(new StartWatch.Outcome("FATAL:  invalid value for parameter \"shared_buffers\": \"lots\"\n")
                        .portTaken())
                .isFalse();
        assertThat(new StartWatch.Outcome("FATAL:  lock file \"postmaster.pid\" already exists\n").portTaken())
                .isFalse();
    }

    private Path givenACollectorFile(String name, String text) throws IOException {
        Files.createDirectories(folder.folder());
        return Files.writeString(folder.folder().resolve(name), text);
    }

    private static void appendTo(Path file, String text) {
        try {
            Files.writeString(file, text, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ServerLog givenALog(String earlier) throws IOException {
        ServerLog log = new ServerLog(dir.resolve("postgres.log"));
        log.startRun();
        Files.writeString(log.file(), earlier, StandardOpenOption.APPEND);
        return log;
    }

    private static void append(ServerLog log, String text) {
        try {
            Files.writeString(log.file(), text, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
