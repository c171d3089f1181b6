package dev.mecgw.app.sync;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ALTER SYSTEM SET max_slot_wal_keep_size} takes no bind parameter, so the configured size becomes SQL text:
 * only PostgreSQL sizes may get that far (audit 13 item 1).
 */
class WalKeepSizeTest {

    @ParameterizedTest
    @ValueSource(strings = {"16GB'; DROP TABLE devices; --", "1GB' ", "16GB\n", "16 GB", "16gb", "1PB", "-2", "", "GB"})
    void shouldRefuseTheSizeWhenItIsNotAPostgresqlSize(String hostile) {
        // given a configured size that would end the quoted literal, or that PostgreSQL would not read as a size
        // when / then it is refused before any SQL is built, naming the key
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new WalKeepSize(hostile))
                .withMessageContaining("mecgw.sync.max-slot-wal-keep-size");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "0kB", "512MB", "16GB", "1TB"})
    void shouldAcceptTheSizeWhenItIsAPostgresqlSize(String size) {
        assertThatCode(() -> new WalKeepSize(size)).doesNotThrowAnyException();
    }
}
