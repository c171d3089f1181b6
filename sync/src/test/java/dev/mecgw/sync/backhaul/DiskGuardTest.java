package dev.mecgw.sync.backhaul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiskGuardTest {

    private final DiskGuard guard = new DiskGuard(100, 1000);

    @ParameterizedTest(name = "{0} bytes, bulk={1}, wal {2} -> {3}")
    @CsvSource({
        "10, false, reserved, OK",
        "100, false, reserved, ALARM",
        "5000, false, extended, ALARM",
        "10, false, unreserved, ALARM",
        "999, true, reserved, ALARM",
        "1000, true, reserved, RESET",
        "5000, true, lost, RECOVER",
        "10, false, lost, RECOVER",
        "10, true, lost, RECOVER"
    })
    void shouldDecideByBacklogWhenSlotIsChecked(
            long bytes, boolean bulk, String walStatus, DiskGuard.Decision expected) {
        assertThat(guard.decide(new SlotBacklog(bytes, true, walStatus, Optional.empty()), bulk))
                .isEqualTo(expected);
    }

    @Test
    void shouldRefuseWhenCapIsBelowAlarm() {
        assertThatThrownBy(() -> new DiskGuard(1000, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
