package dev.mecgw.sync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 14.2: the generation of an edge database, against a real PostgreSQL. */
class PostgresGenerationTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-05T15:00:00Z"), ZoneOffset.UTC);

    static EmbeddedPostgres db;

    @BeforeAll
    static void startDatabase() throws Exception {
        db = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        db.close();
    }

    @BeforeEach
    void forgetGenerations() throws SQLException {
        execute("DROP TABLE IF EXISTS " + PostgresGeneration.TABLE);
    }

    @Test
    void shouldKeepGenerationWhenSameDatabaseIsResolvedAgain() throws Exception {
        try (Connection connection = db.getPostgresDatabase().getConnection()) {
            // when
            long first = PostgresGeneration.resolve(connection, NOW);
            long again = PostgresGeneration.resolve(connection, Clock.offset(NOW, java.time.Duration.ofDays(1)));
            // then
            assertThat(first).isEqualTo(NOW.millis());
            assertThat(again).isEqualTo(first);
        }
    }

    @Test
    void shouldOrderAfterCarriedGenerationsAndForgetOffsetsWhenIdentityIsNew() throws Exception {
        try (Connection connection = db.getPostgresDatabase().getConnection()) {
            // given: a dump brought the generation table of an older database whose generation is "in the future"
            // (its clock ran ahead), and that database's capture offsets
            PostgresGeneration.resolve(connection, NOW);
            execute("UPDATE " + PostgresGeneration.TABLE + " SET identity = 'older/1', generation = "
                    + (NOW.millis() + 5_000));
            PostgresOffsetBackingStore.createTable(connection);
            execute("INSERT INTO " + PostgresOffsetBackingStore.TABLE
                    + " VALUES ('mecgw-sync', 'k'::bytea, 'v'::bytea, now())");
            // when
            long generation = PostgresGeneration.resolve(connection, NOW);
            // then
            assertThat(generation).isEqualTo(NOW.millis() + 5_001);
            assertThat(count("SELECT count(*) FROM " + PostgresOffsetBackingStore.TABLE))
                    .isZero();
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = db.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = db.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
