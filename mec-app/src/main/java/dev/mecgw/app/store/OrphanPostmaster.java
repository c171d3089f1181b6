package dev.mecgw.app.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * A gateway killed with SIGKILL leaves its PostgreSQL running, holding the data directory. Stopping that orphan (a
 * fast shutdown; its clients died with the old JVM) lets the next start take over the data.
 */
final class OrphanPostmaster {

    private static final Logger LOG = Logger.getLogger(OrphanPostmaster.class);

    private OrphanPostmaster() {}

    /**
     * Stops the postmaster that {@code postmaster.pid} in the data directory names, if it still runs, and waits for
     * it to exit (a minute at most).
     *
     * @throws IOException when it did not stop in time or the wait was interrupted
     */
    static void stop(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        LOG.warnf(
                "Embedded PostgreSQL of a previous run is still running (pid %d, the gateway was killed);"
                        + " stopping it before taking over %s",
                pid, dataDirectory);
        ProcessHandle process = orphan.get();
        try {
            // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
            process.onExit().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while stopping the orphaned PostgreSQL", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("The orphaned PostgreSQL (pid " + pid + ") did not stop", e);
        }
    }
}
