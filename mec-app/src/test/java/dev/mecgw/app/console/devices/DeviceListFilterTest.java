package dev.mecgw.app.console.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceListFilterTest {

    @Test
    void shouldFilterOnLabelOnlyWhenKeyValueIsGiven() {
        assertThat(where(new DeviceListFilter(null, "line = a", null, null, null)))
                .isEqualTo(List.of(" WHERE d.labels @> jsonb_build_object(?::text, ?::text)", "line", "a"));
        assertThat(where(new DeviceListFilter(null, "", null, null, null))).isEqualTo(List.of(""));
        assertThat(where(new DeviceListFilter(null, "=a", null, null, null))).isEqualTo(List.of(""));
        assertThat(where(new DeviceListFilter(null, "line", null, null, null))).isEqualTo(List.of(""));
    }

    @Test
    void shouldBindEveryCriterionWhenAllAreGiven() {
        // given
        DeviceListFilter filter = new DeviceListFilter(" sensor ", null, "TRUE", "1", "1.2.0");
        // when
        List<Object> clause = where(filter);
        // then values are parameters, never SQL
        assertThat(clause)
                .containsExactly(
                        " WHERE d.type = ? AND d.online = ? AND d.slice_sst = ? AND t.reported #>> '{firmware,version}'"
                                + " = ?",
                        "sensor",
                        true,
                        (short) 1,
                        "1.2.0");
        assertThat(filter.needsTwin()).isTrue();
    }

    @Test
    void shouldNotFilterOnlineWhenChoiceIsBoth() {
        assertThat(where(new DeviceListFilter(null, null, "", null, null))).isEqualTo(List.of(""));
        assertThat(where(new DeviceListFilter(null, null, "false", null, null)))
                .isEqualTo(List.of(" WHERE d.online = ?", false));
    }

    @Test
    void shouldRefuseSliceTypeWhenNotANumberFrom0To255() {
        assertThatThrownBy(() -> where(new DeviceListFilter(null, null, null, "256", null)))
                .hasMessageContaining("sst");
        assertThatThrownBy(() -> where(new DeviceListFilter(null, null, null, "x", null)))
                .hasMessageContaining("sst");
    }

    /** The clause followed by its arguments. */
    private static List<Object> where(DeviceListFilter filter) {
        List<Object> args = new ArrayList<>();
        String clause = filter.where(args);
        List<Object> all = new ArrayList<>();
        all.add(clause);
        all.addAll(args);
        return all;
    }
}
