package dev.mecgw.app.console;

import dev.mecgw.app.store.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Console users and sessions in the local PostgreSQL ({@code V130__console_users.sql}). Blocking. */
final class PostgresConsoleUsers {

    private static final String USER_COLUMNS = "u.username, u.role, u.must_change_password";

    private final Jdbc jdbc;

    PostgresConsoleUsers(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "Console users");
    }

    /** A stored user and its password hash. */
    record StoredUser(ConsoleUser user, String passwordHash) {}

    long count() {
        return jdbc.queryOne("SELECT count(*) FROM console_users", Jdbc.NO_PARAMETERS, rs -> rs.getLong(1))
                .orElse(0L);
    }

    Optional<StoredUser> find(String username) {
        return jdbc.queryOne(
                "SELECT " + USER_COLUMNS + ", u.password_hash FROM console_users u WHERE u.username = ?",
                ps -> ps.setString(1, username),
                rs -> new StoredUser(user(rs), rs.getString(4)));
    }

    List<ConsoleUser> list() {
        return jdbc.queryList(
                "SELECT " + USER_COLUMNS + " FROM console_users u ORDER BY u.username",
                Jdbc.NO_PARAMETERS,
                PostgresConsoleUsers::user);
    }

    /** Inserts a user; false when the name is taken. */
    boolean insert(String username, ConsoleRole role, String passwordHash, boolean mustChange) {
        return jdbc.update(
                        "INSERT INTO console_users (username, password_hash, role, must_change_password)"
                                + " VALUES (?, ?, ?, ?) ON CONFLICT (username) DO NOTHING",
                        ps -> {
                            ps.setString(1, username);
                            ps.setString(2, passwordHash);
                            ps.setString(3, role.value());
                            ps.setBoolean(4, mustChange);
                        })
                == 1;
    }

    /** Replaces a password; {@code mustChange} true for a reset by someone else. False for an unknown user. */
    boolean setPassword(String username, String passwordHash, boolean mustChange) {
        return jdbc.update(
                        "UPDATE console_users SET password_hash = ?, must_change_password = ?,"
                                + " password_changed_at = now() WHERE username = ?",
                        ps -> {
                            ps.setString(1, passwordHash);
                            ps.setBoolean(2, mustChange);
                            ps.setString(3, username);
                        })
                == 1;
    }

    boolean delete(String username) {
        return jdbc.update("DELETE FROM console_users WHERE username = ?", ps -> ps.setString(1, username)) == 1;
    }

    void insertSession(byte[] tokenHash, String username, Instant expires) {
        jdbc.update("INSERT INTO console_sessions (token_sha256, username, expires_at) VALUES (?, ?, ?)", ps -> {
            ps.setBytes(1, tokenHash);
            ps.setString(2, username);
            ps.setTimestamp(3, Timestamp.from(expires));
        });
    }

    /** The user of an unexpired session (one primary-key lookup, on every console request). */
    Optional<ConsoleUser> session(byte[] tokenHash, Instant now) {
        return jdbc.queryOne(
                "SELECT " + USER_COLUMNS + " FROM console_sessions s JOIN console_users u USING (username)"
                        + " WHERE s.token_sha256 = ? AND s.expires_at > ?",
                ps -> {
                    ps.setBytes(1, tokenHash);
                    ps.setTimestamp(2, Timestamp.from(now));
                },
                PostgresConsoleUsers::user);
    }

    void deleteSession(byte[] tokenHash) {
        jdbc.update("DELETE FROM console_sessions WHERE token_sha256 = ?", ps -> ps.setBytes(1, tokenHash));
    }

    /** Ends every session of a user but the one given (null: all of them), e.g. after a password change. */
    void deleteSessionsOf(String username, byte[] keep) {
        jdbc.update("DELETE FROM console_sessions WHERE username = ? AND token_sha256 IS DISTINCT FROM ?", ps -> {
            ps.setString(1, username);
            ps.setBytes(2, keep);
        });
    }

    int deleteExpiredSessions(Instant now) {
        return jdbc.update(
                "DELETE FROM console_sessions WHERE expires_at <= ?", ps -> ps.setTimestamp(1, Timestamp.from(now)));
    }

    private static ConsoleUser user(ResultSet rs) throws SQLException {
        return new ConsoleUser(rs.getString(1), ConsoleRole.of(rs.getString(2)), rs.getBoolean(3));
    }
}
