package dev.mecgw.sync.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RowFilterTest {

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "kind <> 'debug'                       | kind=alarm     | true",
                "kind <> 'debug'                       | kind=debug     | false",
                "kind != 'debug'                       | kind=         | false",
                "severity >= 3                         | severity=3     | true",
                "severity >= 3                         | severity=2     | false",
                "severity > 2.5 AND kind = 'alarm'     | severity=3,kind=alarm | true",
                "severity > 2.5 AND kind = 'alarm'     | severity=3,kind=info  | false",
                "kind = 'a' OR kind = 'b'              | kind=b         | true",
                "NOT (kind = 'a' OR kind = 'b')        | kind=c         | true",
                "NOT (kind = 'a')                      | kind=          | false",
                "kind IN ('a', 'b')                    | kind=b         | true",
                "kind NOT IN ('a', 'b')                | kind=b         | false",
                "kind NOT IN ('a', 'b')                | kind=          | false",
                "kind IS NULL                          | kind=          | true",
                "kind IS NOT NULL OR severity < 1      | kind=,severity=0 | true",
                "\"Kind\" = 'it''s'                    | Kind=it's      | true",
                "severity = '3'                        | severity=3     | true",
                "active = TRUE                         | active=true    | true",
                "active = false                        | active=true    | false",
            })
    void shouldFollowSqlSemanticsWhenEvaluatingARow(String predicate, String row, boolean expected) {
        // given
        RowFilter filter = RowFilter.parse("public.events", predicate);
        // when
        boolean matches = filter.matches(row(row));
        // then
        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "kind =                       | expected a literal",
                "kind ~ 'x'                   | expected a comparison",
                "kind = 'x' AND               | expected a column name",
                "(kind = 'x'                  | expected ')'",
                "kind = 'x'; DROP TABLE t     | unexpected ';",
                "kind = 'x                    | unterminated string",
                "lower(kind) = 'x'            | expected a comparison",
                "kind IS 'x'                  | expected NULL",
            })
    void shouldRefuseWithPositionWhenPredicateIsOutsideTheSubset(String predicate, String reason) {
        assertThatThrownBy(() -> RowFilter.parse("public.events", predicate))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row filter for public.events is not valid")
                .hasMessageContaining(reason)
                .hasMessageContaining("at position");
    }

    @Test
    void shouldRenderQuotedSqlWhenAskedForIt() {
        // when
        RowFilter filter = RowFilter.parse("public.events", "kind = 'it''s' AND NOT severity IN (1, 2)");
        // then
        assertThat(filter.sql()).isEqualTo("(\"kind\" = 'it''s' AND (NOT \"severity\" IN (1, 2)))");
        assertThat(filter.columns()).containsExactly("kind", "severity");
    }

    @Test
    void shouldRefuseWhenFilterIsBlankOrTableUnqualified() {
        assertThatThrownBy(() -> RowFilter.parse("public.events", " ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> RowFilter.parse("events", "a = 1")).hasMessageContaining("schema.table");
    }

    // "a=1,b=x" -> {a: 1 (a number when numeric), b: "x"}; "a=" -> {a: null}
    private static Map<String, Object> row(String spec) {
        Map<String, Object> row = new HashMap<>();
        for (String pair : spec.split(",")) {
            String[] kv = pair.split("=", 2);
            String value = kv[1];
            Object typed = value.isEmpty()
                    ? null
                    : value.matches("-?[0-9]+")
                            ? (Object) Long.valueOf(value)
                            : value.equals("true") || value.equals("false") ? (Object) Boolean.valueOf(value) : value;
            row.put(kv[0], typed);
        }
        return row;
    }
}
