package dev.mecgw.app.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
            LOG.infof("Embedded PostgreSQL started on 127.0.0.1:%d in %d ms, data in %s",
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

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
