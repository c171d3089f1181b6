package dev.mecgw.sync.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which store failures the consumer loops skip for good and which they retry, by SQLSTATE. */
class StoreRefusalTest {

    @ParameterizedTest(name = "{0} ({2}): permanent {1}")
    @CsvSource({
        // data exceptions: what the downlink and cloud appliers' jsonb casts and text columns refuse
        "22P05, true, U+0000 in jsonb",
        "22P02, true, invalid text representation",
        "22003, true, numeric value out of range",
        "22021, true, NUL byte in a text column",
        "22008, true, timestamp out of range",
        // integrity violations that no retry changes
        "23505, true, unique violation",
        "23503, true, foreign key violation",
        "23502, true, not null violation",
        "23514, true, check violation",
        // what a retry can fix
        "08006, false, connection failure",
        "08001, false, connection refused",
        "57P01, false, admin shutdown",
        "40001, false, serialization failure",
        "40P01, false, deadlock",
        "55P03, false, lock not available",
        "57014, false, statement timeout",
        "53300, false, too many connections",
        "XX000, false, internal error",
        "'', false, no SQLSTATE"
    })
    void shouldTellAPermanentRefusalFromARetryableFailureWhenGivenItsSqlState(
            String state, boolean permanent, String what) {
        SQLException failure = new SQLException(what, state.isEmpty() ? null : state);

        assertThat(StoreRefusal.isPermanent(failure)).isEqualTo(permanent);
    }

    @ParameterizedTest
    @CsvSource({"22P05, true", "08006, false"})
    void shouldClassifyByTheSqlStateOfTheCauseWhenTheFailureCarriesNone(String state, boolean permanent) {
        // a batch reports its statement's error as the next exception; a wrapper as its cause
        BatchUpdateException batch = new BatchUpdateException("batch entry 0 failed", null, new int[0]);
        batch.setNextException(new SQLException("the statement", state));
        SQLException wrapped = new SQLException("wrapped", null, new SQLException("the statement", state));

        assertThat(StoreRefusal.isPermanent(batch)).isEqualTo(permanent);
        assertThat(StoreRefusal.isPermanent(wrapped)).isEqualTo(permanent);
    }

    @ParameterizedTest
    @CsvSource({"22P05"})
    void shouldDescribeWithoutTheDetailLinesWhenTheyEchoTheRefusedValues(String state) {
        SQLException failure = new SQLException(
                "ERROR: unsupported Unicode escape sequence\n  Detail: \\u0000 cannot be converted to text.\n"
                        + "  Where: JSON data, line 1: {\"secret\":\"...",
                state);

        assertThat(StoreRefusal.describe(failure))
                .isEqualTo("SQLSTATE 22P05: ERROR: unsupported Unicode escape sequence");
    }
}
