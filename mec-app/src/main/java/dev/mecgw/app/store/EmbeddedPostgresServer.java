package dev.mecgw.app.store;

import dev.mecgw.app.gateway.DataDirectory;
import dev.mecgw.app.gateway.DurableFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.jboss.logging.Logger;

/**
 * The gateway's own PostgreSQL server, used when no external JDBC URL is configured.
 *
 * <p>Data lives in {@code <data-dir>/postgres} and is kept across restarts. The server listens on a free
 * loopback port only and runs with {@code wal_level=logical} because change-data-capture needs it.
 * One instance per data directory per JVM; {@link #stop()} shuts it down with a fast, clean shutdown
 * (checkpoint written, no recovery on next start). The application calls it last when it stops; when the JVM exits
 * without that, {@link ExitHook} does.
 *
 * <p>Durable and locked down (issue 14 item 1): zonky's test defaults ({@code -F}, i.e. {@code fsync=off},
 * and {@code synchronous_commit=off}) are overridden, so that a commit, and with it every acknowledgement
 * the gateway sends, is on disk; logins need the generated password in {@code <data-dir>/postgres-password}
 * (0600) with {@code scram-sha-256}, over TCP on 127.0.0.1 or the local socket only. A cluster created by an
 * earlier version with trust logins gets the password and the new {@code pg_hba.conf} on its first start.
 *
 * <p>The output of initdb, pg_ctl and a starting postmaster goes to {@code <data-dir>/postgres.log} ({@link ServerLog});
 * a start is judged by what {@code pg_ctl} reports there ({@link StartWatch}), so a server that stops during its start
 * fails the start at once with its reason, and one whose port was taken between the check and its bind is started on
 * another port. Once running, the server logs into {@code <data-dir>/postgres-log}, kept within a budget in bytes and
 * free of statement text and parameters ({@link ServerLogFolder}, {@link LogJanitor}).
 */
public final class EmbeddedPostgresServer {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);

    static final String PASSWORD_FILE = "postgres-password";
    static final String SUPERUSER = "postgres";
    /** PostgreSQL's own output, beside its data directory (see {@link ServerLog}). */
    static final String LOG_FILE = "postgres.log";
    // How long zonky waits for the server's first answer; a start after a crash replays the WAL first.
    private static final Duration START_WAIT = Duration.ofSeconds(60);
    // pg_ctl's verdict follows zonky's within a fraction of a second; this bounds a very slow machine's.
    private static final Duration VERDICT_WAIT = Duration.ofSeconds(10);
    // A port found free can be taken before the postmaster binds it; another one is tried.
    private static final int PORT_ATTEMPTS = 3;
    private static final int LOG_LINES_ON_FAILURE = 30;
    private static final String HBA_MARKER = "# mecgw: password logins only (issue 14)";

    private final Path dataDirectory;
    private final Optional<PostgresBinaries> binaries;
    private final IntSupplier ports;
    private final ServerLog log;
    private final ServerLogFolder logFolder;
    private EmbeddedPostgres postgres;
    private LogJanitor janitor;
    private ExitHook exitHook;
    private String password;

    /** @param logBudget bytes the server's log folder may take ({@link StoreConfig#logBudget()}) */
    EmbeddedPostgresServer(Path dataDirectory, long logBudget) {
        this(dataDirectory, PostgresBinaries.fromClassPath(), logBudget);
    }

    /**
     * @param binaries the binaries to start, extracted once (issue 22 item 4); empty leaves them to zonky, which
     *     reads its whole archive at every start
     */
    EmbeddedPostgresServer(Path dataDirectory, Optional<PostgresBinaries> binaries, long logBudget) {
        this(dataDirectory, binaries, EmbeddedPostgresServer::freeLoopbackPort, logBudget);
    }

    /** @param ports the port of each attempt to start, free when asked (tests hand out a taken one) */
    EmbeddedPostgresServer(Path dataDirectory, Optional<PostgresBinaries> binaries, IntSupplier ports, long logBudget) {
        this.dataDirectory = dataDirectory;
        this.binaries = binaries;
        this.ports = ports;
        this.log = new ServerLog(dataDirectory.resolveSibling(LOG_FILE));
        this.logFolder = new ServerLogFolder(dataDirectory, logBudget);
    }

    /** Starts the server (idempotent). Fails with {@link UncheckedIOException} if it cannot start. */
    synchronized void start() {
        if (postgres != null) {
            return;
        }
        try {
            Files.createDirectories(dataDirectory);
            OrphanPostmaster.stop(dataDirectory);
            DataDirectory.Secret secret = new DataDirectory(dataDirectory.getParent()).secret(PASSWORD_FILE, 24, true);
            password = new String(secret.bytes(), StandardCharsets.US_ASCII).strip();
            long started = System.nanoTime();
            ProcessBuilder.Redirect output = log.startRun();
            logFolder.create();
            janitor = LogJanitor.start(logFolder);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (binaries.isPresent()) {
                binaries.get().configure(builder);
            }
            builder.setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(START_WAIT)
                    .setOutputRedirector(output)
                    .setErrorRedirector(output)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // CDC (sync module) decodes the WAL with pgoutput through replication slots.
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_replication_slots", "8")
                    .setServerConfig("max_wal_senders", "8")
                    .setServerConfig("max_connections", "100")
                    // zonky passes -F (fsync off) and synchronous_commit=off; the later -c options win.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // initdb of a new cluster: the later --auth wins over zonky's "-A trust".
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", secret.file().toString())
                    .setConnectConfig("password", password)
                    // zonky's readiness probe: something else listening on the port must not hold it forever.
                    .setConnectConfig("loginTimeout", "10")
                    // The application stops it after everything that writes to it; zonky's hook would stop it at
                    // SIGTERM, while the application still drains (ExitHook).
                    .setRegisterShutdownHook(false);
            logFolder.serverConfig().forEach(builder::setServerConfig);
            postgres = started(builder);
            exitHook = ExitHook.register(this::stop);
            lockDown();
            LOG.infof(
                    "Embedded PostgreSQL started on 127.0.0.1:%d in %d ms, data in %s",
                    postgres.getPort(), (System.nanoTime() - started) / 1_000_000, dataDirectory.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + dataDirectory, e);
        } finally {
            if (postgres == null) {
                stopJanitor(); // no server, no log to keep
            }
        }
    }

    private void stopJanitor() {
        if (janitor != null) {
            janitor.close();
            janitor = null;
        }
    }

    /**
     * Starts the server, on another port when its port was taken before the postmaster bound it. A failure carries
     * the end of PostgreSQL's own output, which says why.
     */
    private EmbeddedPostgres started(EmbeddedPostgres.Builder builder) throws IOException {
        for (int attempt = 1; ; attempt++) {
            int port = ports.getAsInt();
            EmbeddedPostgres started;
            StartWatch.Outcome outcome;
            // The previous attempt's files get their final names first: renamed during this watch, they would read
            // as this start's output (its "could not bind" taken for this attempt's).
            logFolder.tidy();
            try (StartWatch watch = StartWatch.begin(log, logFolder)) {
                try {
                    started = builder.setPort(port).start();
                } catch (IOException e) {
                    // Nothing answered in time: pg_ctl may still be about to say why.
                    watch.close();
                    throw failed(e.getMessage(), watch.outcome(VERDICT_WAIT), e);
                } catch (RuntimeException e) {
                    // zonky's IllegalStateException: initdb failed; no pg_ctl ran.
                    watch.close();
                    throw failed(e.getMessage(), watch.outcome(Duration.ZERO), e);
                }
                watch.close();
                outcome = watch.outcome(VERDICT_WAIT);
            }
            if (!outcome.stopped()) {
                return started;
            }
            // zonky returned early (the watch interrupted its wait): release its lock on the data directory.
            closeQuietly(started);
            if (!outcome.portTaken() || attempt == PORT_ATTEMPTS) {
                throw failed("the server stopped during its start", outcome, null);
            }
            LOG.warnf(
                    "Embedded PostgreSQL could not listen on port %d (taken since it was found free); trying another"
                            + " port",
                    port);
        }
    }

    private IOException failed(String why, StartWatch.Outcome outcome, Exception cause) {
        return new IOException(
                "PostgreSQL did not start (" + why + "); the end of its output in " + log.file()
                        + " (and, if it got that far, its log in " + logFolder.folder() + "):\n"
                        + ServerLog.tail(outcome.output(), LOG_LINES_ON_FAILURE),
                cause);
    }

    private static void closeQuietly(EmbeddedPostgres stopped) {
        try {
            stopped.close(); // zonky logs that pg_ctl found no server to stop
        } catch (IOException e) {
            LOG.debugf(e, "Closing the embedded PostgreSQL that stopped during its start");
        }
    }

    /**
     * A cluster initialised with trust logins (by an earlier version): set the password, replace
     * {@code pg_hba.conf} and reload, before any client but this one connects.
     */
    private void lockDown() throws IOException {
        Path hba = dataDirectory.resolve("pg_hba.conf");
        if (Files.readString(hba).contains(HBA_MARKER)) {
            return;
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl(), SUPERUSER, password);
                Statement st = c.createStatement()) {
            st.execute("SET password_encryption = 'scram-sha-256'");
            // ALTER ROLE takes no bind parameters; the password is URL-safe Base64, so quoting is safe.
            st.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
            DurableFiles.replace(
                    hba,
                    (HBA_MARKER + "\n"
                                    + "local all all scram-sha-256\n"
                                    + "host all all 127.0.0.1/32 scram-sha-256\n"
                                    + "local replication all scram-sha-256\n"
                                    + "host replication all 127.0.0.1/32 scram-sha-256\n")
                            .getBytes(StandardCharsets.US_ASCII));
            st.execute("SELECT pg_reload_conf()");
            LOG.infof("Embedded PostgreSQL now requires the password in %s (scram-sha-256)", PASSWORD_FILE);
        } catch (SQLException e) {
            throw new IOException("Cannot set the embedded PostgreSQL's password", e);
        }
    }

    /** The generated superuser password; call {@link #start()} first. Never log it. */
    synchronized String password() {
        return password;
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
            stopJanitor();
            if (exitHook != null) {
                exitHook.cancel();
                exitHook = null;
            }
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port for the embedded PostgreSQL", e);
        }
    }
}
