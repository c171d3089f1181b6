package dev.mecgw.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mecgw.testsupport.net.FreePorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server is durable and locked down (issue 14 item 1); its log is bounded in bytes and keeps device data
 * out.
 */
class EmbeddedPostgresServerTest {

    private static final long BUDGET = 32L * 1024 * 1024;
    private static final long SMALL_BUDGET = 256L * 1024;

    @TempDir
    Path dataDir;

    @Test
    void shouldCommitDurablyAndListenOnLoopbackOnlyWhenStarted() throws Exception {
        EmbeddedPostgresServer server = givenAStartedServer();
        try (Connection c = connect(server, password())) {
            assertThat(show(c, "fsync")).isEqualTo("on");
            assertThat(show(c, "synchronous_commit")).isEqualTo("on");
            assertThat(show(c, "full_page_writes")).isEqualTo("on");
            assertThat(show(c, "listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(show(c, "password_encryption")).isEqualTo("scram-sha-256");
        } finally {
            server.stop();
        }
    }

    @Test
    void shouldRefuseLoginsWithoutTheGeneratedPasswordWhenStarted() throws Exception {
        EmbeddedPostgresServer server = givenAStartedServer();
        try {
            Path file = dataDir.resolve("postgres-password");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThatThrownBy(() -> connect(server, "")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> connect(server, "postgres")).isInstanceOf(SQLException.class);
            try (Connection c = connect(server, password())) {
                assertThat(show(c, "server_version")).isNotBlank();
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void shouldLockDownAClusterCreatedWithTrustLoginsWhenStartedAgain() throws Exception {
        // given: a cluster initialised by an earlier version (trust logins, no password)
        try (EmbeddedPostgres old = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false)
                .start()) {
            try (Connection c = old.getPostgresDatabase().getConnection();
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE kept (id int)");
            }
        }
        // when
        EmbeddedPostgresServer server = givenAStartedServer();
        // then: its data is there, and only the generated password opens it
        try {
            assertThatThrownBy(() -> connect(server, "")).isInstanceOf(SQLException.class);
            try (Connection c = connect(server, password());
                    Statement st = c.createStatement()) {
                st.execute("SELECT count(*) FROM kept");
            }
        } finally {
            server.stop();
        }
        // and it stays so across a restart
        EmbeddedPostgresServer again = givenAStartedServer();
        try {
            assertThatThrownBy(() -> connect(again, "")).isInstanceOf(SQLException.class);
            connect(again, password()).close();
        } finally {
            again.stop();
        }
    }

    @Test
    void shouldRestartFromTheExtractedBinariesWithoutReadingTheArchiveWhenStartedAgain(@TempDir Path binaries)
            throws Exception {
        // given a first start that extracts zonky's archive (issue 22 item 4)
        PostgresArchive real =
                ClasspathPostgresArchive.find(getClass().getClassLoader()).orElseThrow();
        PostgresBinariesTest.CountingArchive archive;
        try (InputStream in = real.open()) {
            archive = new PostgresBinariesTest.CountingArchive(real.identity(), in.readAllBytes());
        }
        EmbeddedPostgresServer first = new EmbeddedPostgresServer(
                dataDir.resolve("postgres"), Optional.of(new PostgresBinaries(binaries, archive)), BUDGET);
        first.start();
        first.stop();

        // when the next start has an archive of the same identity that fails if it is read
        EmbeddedPostgresServer again = new EmbeddedPostgresServer(
                dataDir.resolve("postgres"),
                Optional.of(
                        new PostgresBinaries(binaries, new PostgresBinariesTest.UnreadableArchive(real.identity()))),
                BUDGET);
        again.start();

        // then PostgreSQL runs from the binaries extracted once
        try (Connection c = connect(again, password())) {
            assertThat(show(c, "fsync")).isEqualTo("on");
        } finally {
            again.stop();
        }
        assertThat(archive.opens).hasValue(1);
        assertThat(binaries.resolve("PG-" + PostgresBinaries.md5(real.identity()) + "/bin/postgres"))
                .isExecutable();
    }

    @Test
    void shouldFailAtOnceWithPostgresqlsReasonWhenTheServerStopsDuringItsStart() throws Exception {
        // given a cluster with a setting PostgreSQL refuses at start
        givenAStartedServer().stop();
        Files.writeString(
                dataDir.resolve("postgres/postgresql.auto.conf"),
                "shared_buffers = 'lots'\n",
                StandardOpenOption.APPEND);

        // when / then: the failure quotes the server, not zonky's "Gave up waiting" after a minute (issue 22)
        assertThatThrownBy(givenAServer()::start)
                .isInstanceOf(UncheckedIOException.class)
                .hasStackTraceContaining("the server stopped during its start")
                .hasStackTraceContaining("invalid value for parameter \"shared_buffers\": \"lots\"");
        // and the log, beside the data and owner-only, keeps the previous run's as postgres.log.1
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("postgres.log"))))
                .isEqualTo("rw-------");
        assertThat(dataDir.resolve("postgres.log.1")).content().contains(StartWatch.STARTED);
    }

    @Test
    void shouldStartOnAnotherPortWhenItsPortWasTakenBeforeThePostmasterBoundIt() throws Exception {
        // given a port found free, then bound by another process before the postmaster binds it
        try (Socket other = new Socket()) {
            other.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int taken = other.getLocalPort();
            AtomicInteger attempts = new AtomicInteger();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(
                    dataDir.resolve("postgres"),
                    PostgresBinaries.fromClassPath(),
                    () -> attempts.getAndIncrement() == 0 ? taken : freePort(),
                    BUDGET);

            // when
            server.start();

            // then the second attempt's port serves
            try (Connection c = connect(server, password())) {
                assertThat(server.port()).isNotEqualTo(taken);
                assertThat(show(c, "fsync")).isEqualTo("on");
            } finally {
                server.stop();
            }
            assertThat(attempts).hasValue(2);
            // the postmaster binds its port after starting its logging collector: the reason is in the folder
            assertThat(dataDir.resolve("postgres.log")).content().contains(StartWatch.COLLECTOR);
            assertThat(logText(dataDir.resolve(ServerLogFolder.FOLDER))).contains("Address already in use");
        }
    }

    @Test
    void shouldKeepItsLogWithinItsBudgetWhenTheServerLogsFarMore() throws Exception {
        // given a server whose log may take 256 KiB, so a new file each 32 KiB
        EmbeddedPostgresServer server = givenAStartedServer(SMALL_BUDGET);
        try (Connection c = connect(server, password());
                Statement st = c.createStatement()) {
            // when a burst of failing statements logs 1 MiB (four budgets) within a second or so: PostgreSQL's own
            // rotations within one second would all append to one file
            for (int i = 0; i < 1024; i++) {
                assertThatThrownBy(() -> st.execute("DO $$BEGIN RAISE EXCEPTION '%', repeat('x', 1000); END$$"))
                        .isInstanceOf(SQLException.class);
            }
            String last = givenALoggedLine(st);

            // then, once the janitor has seen the last rotation, the folder holds the newest lines within the budget
            // plus the file being written (at most one rotation size)
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(logText(dataDir.resolve(ServerLogFolder.FOLDER)).contains(last))
                        .as("the last line is in the folder")
                        .isTrue();
                // PostgreSQL rotates only when it writes: a line at each try closes (so lets the janitor prune) a file
                // that grew past its size while the janitor lagged behind the burst on a loaded machine
                givenALoggedLine(st);
                assertThat(bytes(dataDir.resolve(ServerLogFolder.FOLDER)))
                        .isLessThanOrEqualTo(SMALL_BUDGET + SMALL_BUDGET / 8);
            });
            assertThat(dataDir.resolve(ServerLogFolder.FOLDER)).isDirectoryContaining("glob:**/postgresql-*.log");
            // and the start's output beside it did not grow with the run: a few KiB
            assertThat(bytes(dataDir.resolve(EmbeddedPostgresServer.LOG_FILE))).isLessThan(16 * 1024);
        } finally {
            server.stop();
        }
    }

    @Test
    void shouldLogNeitherStatementsNorTheirValuesWhenStatementsFail() throws Exception {
        // given device data that fails to be stored
        String marker = "device-payload-" + UUID.randomUUID();
        EmbeddedPostgresServer server = givenAStartedServer();
        try (Connection c = connect(server, password());
                Statement st = c.createStatement();
                PreparedStatement insert = c.prepareStatement("INSERT INTO readings VALUES (?)")) {
            st.execute("CREATE TABLE readings (payload text CHECK (length(payload) < 8))");

            // when it is in a failing statement's literal, bind parameter and comment
            assertThatThrownBy(() -> st.execute("INSERT INTO readings VALUES ('" + marker + "')"))
                    .isInstanceOf(SQLException.class);
            insert.setString(1, marker);
            assertThatThrownBy(insert::executeUpdate).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> st.execute("SELECT 1/0 /* " + marker + " */"))
                    .isInstanceOf(SQLException.class);
            String last = givenALoggedLine(st);

            // then the failures are in the log, the data in no log file
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(logText(dataDir)).contains(last));
            assertThat(logText(dataDir))
                    .contains("violates check constraint", "division by zero")
                    .doesNotContain(marker);
        } finally {
            server.stop();
        }
    }

    /** Logs a line of its own after what the test did: once it is in the log, all before it is too. */
    private static String givenALoggedLine(Statement st) throws SQLException {
        String line = "mecgw-test-" + UUID.randomUUID();
        st.execute("DO $$BEGIN RAISE LOG '" + line + "'; END$$");
        return line;
    }

    /** Every log file under {@code root} (the data directory's {@code postgres} folder aside), oldest first. */
    private static List<Path> logFiles(Path root) throws IOException {
        Path data = root.resolve("postgres");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> !f.startsWith(data) && !f.endsWith("postgres-password"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
    }

    private static String logText(Path root) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path file : logFiles(root)) {
            try {
                text.append(Files.readString(file, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                // pruned since it was listed
            }
        }
        return text.toString();
    }

    private static long bytes(Path root) throws IOException {
        long bytes = 0;
        for (Path file : Files.isDirectory(root) ? logFiles(root) : List.of(root)) {
            try {
                bytes += Files.size(file);
            } catch (NoSuchFileException e) {
                // pruned since it was listed
            }
        }
        return bytes;
    }

    private EmbeddedPostgresServer givenAStartedServer() {
        return givenAStartedServer(BUDGET);
    }

    private EmbeddedPostgresServer givenAStartedServer(long logBudget) {
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDir.resolve("postgres"), logBudget);
        server.start();
        return server;
    }

    private EmbeddedPostgresServer givenAServer() {
        return new EmbeddedPostgresServer(dataDir.resolve("postgres"), BUDGET);
    }

    /** The postmaster binds it after initdb, seconds later: from below the ephemeral range ({@link FreePorts}). */
    private static int freePort() {
        try {
            return FreePorts.tcp();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String password() throws Exception {
        return Files.readString(dataDir.resolve("postgres-password")).strip();
    }

    private static Connection connect(EmbeddedPostgresServer server, String password) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), "postgres", password);
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
