package dev.mecgw.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
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

    private EmbeddedPostgresServer givenAStartedServer() {
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDir.resolve("postgres"));
        server.start();
        return server;
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
