package dev.mecgw.app.sync;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowFilterPolicyTest {

    private static final List<String> REPLICATED = List.of("public.events", "public.telemetry_rollup_1m");

    @Test
    void shouldNameKeyAndPositionWhenFilterDoesNotParse() {
        assertThatThrownBy(() -> RowFilterPolicy.load(Map.of("public.events", "kind = "), REPLICATED, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "mecgw.sync.row-filters.\"public.events\": row filter for public.events is not valid")
                .hasMessageContaining("at position 8");
    }

    @Test
    void shouldRefuseWhenFilteredTableIsNotReplicated() {
        assertThatThrownBy(() -> RowFilterPolicy.load(Map.of("public.telemetry", "value > 1"), REPLICATED, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public.telemetry is not replicated");
    }
}
