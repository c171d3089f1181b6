package dev.mecgw.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs against the real embedded PostgreSQL: commit, rollback and error mapping are the server's to judge. */
@QuarkusTest
class JdbcTest {

    private static final String TYPE = "jdbc-test";

    @Inject
    DataSource dataSource;

    @Test
    void shouldCommitWhenTheWorkReturns() {
        // given the helper of a store
        Jdbc jdbc = givenAStore();

        // when two rows are written in one transaction
        jdbc.inTransaction(c -> {
            insert(c.prepareStatement(INSERT), "a/#");
            return insert(c.prepareStatement(INSERT), "b/#");
        });

        // then both are visible, in order, to a later query
        assertThat(filters(jdbc)).containsExactly("a/#", "b/#");
    }

    @Test
    void shouldRollBackAndRethrowWhenTheWorkFails() {
        // given the helper of a store
        Jdbc jdbc = givenAStore();
        IllegalStateException failure = new IllegalStateException("half way");

        // when the work fails after a write
        assertThatThrownBy(() -> jdbc.inTransaction(c -> {
                    insert(c.prepareStatement(INSERT), "a/#");
                    throw failure;
                }))
                // then the caller sees its own exception and nothing was written
                .isSameAs(failure);
        assertThat(filters(jdbc)).isEmpty();
    }

    @Test
    void shouldReportTheStoreUnavailableWhenTheDatabaseFails() {
        // given the helper of a store
        Jdbc jdbc = givenAStore();

        // when the database rejects a statement
        assertThatThrownBy(() -> jdbc.update("UPDATE no_such_table SET x = 1", Jdbc.NO_PARAMETERS))
                // then the one gateway error for it comes out, naming the store, not the SQL
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("Test store unavailable");
                });
    }

    @Test
    void shouldAnswerEmptyWhenNoRowMatches() {
        assertThat(givenAStore()
                        .queryOne(
                                "SELECT id FROM acl_rules WHERE device_type = ?",
                                ps -> ps.setString(1, TYPE),
                                rs -> rs.getLong(1)))
                .isEmpty();
    }

    @AfterEach
    void removeTestRows() {
        givenAStore().update("DELETE FROM acl_rules WHERE device_type = ?", ps -> ps.setString(1, TYPE));
    }

    private static final String INSERT =
            "INSERT INTO acl_rules (device_type, action, topic_filter) VALUES ('" + TYPE + "', 'PUBLISH', ?)";

    private Jdbc givenAStore() {
        return new Jdbc(dataSource, "Test store");
    }

    private static int insert(PreparedStatement ps, String filter) throws java.sql.SQLException {
        try (ps) {
            ps.setString(1, filter);
            return ps.executeUpdate();
        }
    }

    private static List<String> filters(Jdbc jdbc) {
        return jdbc.queryList(
                "SELECT topic_filter FROM acl_rules WHERE device_type = ? ORDER BY id",
                ps -> ps.setString(1, TYPE),
                rs -> rs.getString(1));
    }
}
