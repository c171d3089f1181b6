package dev.mecgw.cloud.store;

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
 * The cloud's own PostgreSQL server, used when no {@code quarkus.datasource.jdbc.url} is configured.
 *
 * <p>Data lives in {@code <data-dir>/postgres} and is kept across restarts. Unlike zonky's test defaults the server
 * is durable ({@code fsync}, {@code synchronous_commit} and {@code full_page_writes} on: the applier commits Kafka
 * offsets only after the database commit, so a commit must survive a power cut), listens on 127.0.0.1 only, and
 * requires the password of {@link StorePassword} (scram-sha-256) on every connection.
 */
public final class EmbeddedPostgresServer {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);

    private final Path dataDirectory;
    private final StorePassword password;
    private EmbeddedPostgres postgres;

    EmbeddedPostgresServer(Path dataDirectory, StorePassword password) {
        this.dataDirectory = dataDirectory;
        this.password = password;
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
                    // initdb: the superuser gets the generated password and every connection must present it
                    // (zonky passes "-A trust" first; the later --auth wins).
                    .setLocaleConfig("pwfile", password.file().toString())
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setConnectConfig("password", password.value())
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "100")
                    // As the edge's (mec-app ServerLogFolder): a failing statement's text, its DETAIL lines and bind
                    // parameters quote the sites' rows (device ids, payloads); the applier logs the refusal itself.
                    .setServerConfig("log_min_error_statement", "panic")
                    .setServerConfig("log_error_verbosity", "terse")
                    .setServerConfig("log_statement", "none")
                    .setServerConfig("log_parameter_max_length", "0")
                    .setServerConfig("log_parameter_max_length_on_error", "0")
                    .start();
            LOG.infof(
                    "Embedded PostgreSQL started on 127.0.0.1:%d in %d ms, data in %s",
                    postgres.getPort(), (System.nanoTime() - started) / 1_000_000, dataDirectory.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /** @return the JDBC URL of the running server; call {@link #start()} first */
    synchronized String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    /** Stops the server if it runs, with a clean shutdown checkpoint; safe to call more than once. */
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
            LOG.infof("Embedded PostgreSQL stopped (data kept in %s)", dataDirectory.toAbsolutePath());
        } catch (IOException e) {
            LOG.warnf(e, "Embedded PostgreSQL did not stop cleanly; it recovers from its WAL on next start");
        } finally {
            postgres = null;
        }
    }

    /** A cloud killed with SIGKILL leaves its PostgreSQL running on the data directory: stop it before taking over. */
    private void stopOrphan() throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        long pid;
        try {
            pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        LOG.warnf("Embedded PostgreSQL of a previous run is still running (pid %d); stopping it", pid);
        try {
            // SIGINT is PostgreSQL's fast shutdown: roll back open transactions, checkpoint, exit.
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
            orphan.get().onExit().get(60, TimeUnit.SECONDS);
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
