package dev.mecgw.sync.policy;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresRowFilterCheckTest {

    static EmbeddedPostgres db;

    @BeforeAll
    static void startDatabase() throws Exception {
        db = EmbeddedPostgres.builder().start();
        try (Connection connection = db.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE events (id bigint PRIMARY KEY, kind text, severity int)");
        }
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        db.close();
    }

    @Test
    void shouldAcceptWhenFilterFitsTheTable() {
        assertThatCode(() -> PostgresRowFilterCheck.verify(
                        db.getPostgresDatabase(),
                        List.of(RowFilter.parse("public.events", "kind <> 'debug' AND severity >= 3"))))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldNameTableAndColumnWhenColumnIsMissing() {
        assertThatThrownBy(() -> PostgresRowFilterCheck.verify(
                        db.getPostgresDatabase(), List.of(RowFilter.parse("public.events", "kindd = 'x'"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row filter for public.events")
                .hasMessageContaining("kindd")
                .hasMessageContaining("does not exist");
    }

    @Test
    void shouldRefuseWhenLiteralDoesNotFitColumnType() {
        assertThatThrownBy(() -> PostgresRowFilterCheck.verify(
                        db.getPostgresDatabase(), List.of(RowFilter.parse("public.events", "severity > 'high'"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid input syntax for type integer");
    }

    @Test
    void shouldRefuseWhenTableIsMissing() {
        assertThatThrownBy(() -> PostgresRowFilterCheck.verify(
                        db.getPostgresDatabase(), List.of(RowFilter.parse("public.nothing", "a = 1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public.nothing");
    }
}
