package dev.mecgw.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server is durable and locked down (issue 14 item 1). */
class EmbeddedPostgresServerTest {

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
                dataDir.resolve("postgres"), Optional.of(new PostgresBinaries(binaries, archive)));
        first.start();
        first.stop();

        // when the next start has an archive of the same identity that fails if it is read
        EmbeddedPostgresServer again = new EmbeddedPostgresServer(
                dataDir.resolve("postgres"),
                Optional.of(
                        new PostgresBinaries(binaries, new PostgresBinariesTest.UnreadableArchive(real.identity()))));
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
                    () -> attempts.getAndIncrement() == 0 ? taken : freePort());

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
            assertThat(dataDir.resolve("postgres.log")).content().contains("Address already in use");
        }
    }

    private EmbeddedPostgresServer givenAStartedServer() {
        EmbeddedPostgresServer server = givenAServer();
        server.start();
        return server;
    }

    private EmbeddedPostgresServer givenAServer() {
        return new EmbeddedPostgresServer(dataDir.resolve("postgres"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
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
