package dev.mecgw.app.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The gateway's own PostgreSQL server, used when no external JDBC URL is configured.
 *
 * <p>Data lives in {@code <data-dir>/postgres} and is kept across restarts. The server listens on a free
 * loopback port only and runs with {@code wal_level=logical} because change-data-capture needs it.
 * One instance per data directory per JVM; {@link #stop()} shuts it down with a fast, clean shutdown
 * (checkpoint written, no recovery on next start).
 */
public final class EmbeddedPostgresServer {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);

    private final Path dataDirectory;
    private EmbeddedPostgres postgres;

    EmbeddedPostgresServer(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    /** Starts the server (idempotent). Fails with {@link UncheckedIOException} if it cannot start. */
    synchronized void start() {
        if (postgres != null) {
            return;
        }
        try {
            Files.createDirectories(dataDirectory);
            stopOrphan();
            long started = System.nanoTime();
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(freeLoopbackPort())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // CDC (sync module) decodes the WAL with pgoutput through replication slots.
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_replication_slots", "8")
                    .setServerConfig("max_wal_senders", "8")
                    .setServerConfig("max_connections", "100")
                    .start();
            LOG.infof(
                    "Embedded PostgreSQL started on 127.0.0.1:%d in %d ms, data in %s",
                    postgres.getPort(), (System.nanoTime() - started) / 1_000_000, dataDirectory.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /** JDBC URL of the running server; call {@link #start()} first. */
    synchronized String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    /** Port of the running server; call {@link #start()} first. */
    synchronized int port() {
        return postgres.getPort();
    }

    /** Stops the server if it runs; safe to call more than once. */
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
            LOG.infof("Embedded PostgreSQL stopped (data kept in %s)", dataDirectory.toAbsolutePath());
        } catch (IOException e) {
            LOG.warnf(e, "Embedded PostgreSQL did not stop cleanly; it will recover from its WAL on next start");
        } finally {
            postgres = null;
        }
    }

    /**
     * A gateway killed with SIGKILL leaves its PostgreSQL running, holding the data directory. Stop that
     * orphan (a fast shutdown; its clients died with the old JVM) so this start can take over the data.
     */
    private void stopOrphan() throws IOException {
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

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
