package dev.mecgw.app.retention;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL (zonky's embedded server, as test-support's SyncFixture starts it) with the two tables a
 * retention of {@code events} touches: {@code events} and the marker table, as the migrations create them (V1, V100),
 * reduced to the columns retention reads. For tests of what a run deletes, batch by batch, without Quarkus. A JUnit 5
 * extension for a whole test class, registered in a static field ({@code @RegisterExtension static final
 * RetentionTables tables = new RetentionTables();}): the server starts before the class's tests and stops after them.
 */
final class RetentionTables implements BeforeAllCallback, AfterAllCallback {

    /**
     * The runs' now: expired events are a year older, fresh ones this old. Far ahead of the server's clock, so that
     * every marker a run leaves (stamped by the server) is past {@code marks-keep} and a finished run drops it.
     */
    static final Instant NOW = Instant.parse("2100-01-01T00:00:00Z");

    private EmbeddedPostgres postgres;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException, SQLException {
        postgres = EmbeddedPostgres.builder().start();
        execute("CREATE TABLE events (id bigserial PRIMARY KEY, ts timestamptz NOT NULL)");
        execute("CREATE TABLE " + PostgresRetention.MARKS_TABLE
                + " (xid bigint PRIMARY KEY, marked_at timestamptz NOT NULL DEFAULT now(), lsn pg_lsn)");
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    /** Empties both tables, then adds {@code expired} events older than 30 days and {@code fresh} ones. */
    void givenEvents(int expired, int fresh) throws SQLException {
        execute("TRUNCATE events, " + PostgresRetention.MARKS_TABLE);
        try (Connection connection = dataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO events (ts) VALUES (?)")) {
            for (int i = 0; i < expired + fresh; i++) {
                insert.setTimestamp(1, Timestamp.from(i < expired ? NOW.minus(Duration.ofDays(365)) : NOW));
                insert.executeUpdate();
            }
        }
    }

    /**
     * A store pruning {@code events} older than 30 days, {@code batchSize} rows a batch, 100 batches at most, and
     * markers older than a day.
     */
    PostgresRetention givenAStore(int batchSize) {
        return new PostgresRetention(
                dataSource(),
                List.of(new RetentionRule("events", "id", "ts", Duration.ofDays(30), false)),
                batchSize,
                100,
                Duration.ofDays(1),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** How many events are left. */
    long events() throws SQLException {
        return count("events");
    }

    /**
     * How many batches committed and left their marker (with the WAL position after their deletes): a finished run
     * drops them again.
     */
    long markers() throws SQLException {
        return count(PostgresRetention.MARKS_TABLE + " WHERE lsn IS NOT NULL");
    }

    /**
     * A stop signal that turns true once {@code batches} batches committed, as their markers say: a stop requested
     * between two batches, as SYNC's stop requests it while a run is under way.
     */
    BooleanSupplier stopOnceBatchesCommitted(long batches) {
        return () -> {
            try {
                return markers() >= batches;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private long count(String from) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM " + from)) {
            row.next();
            return row.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
