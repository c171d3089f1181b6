package dev.mecgw.app.ota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Range header resolution (RFC 9110 §14) for firmware downloads, issue 18 item 1. */
class ByteRangeTest {

    @ParameterizedTest(name = "{0} of 1000 bytes -> {1}-{2} partial={3}")
    @CsvSource(
            nullValues = "null",
            value = {
                "null, 0, 999, false",
                "items=0-5, 0, 999, false",
                "bytes=0-99, 0, 99, true",
                "bytes=100-, 100, 999, true",
                "bytes=990-5000, 990, 999, true",
                "bytes=-10, 990, 999, true",
                "bytes=-5000, 0, 999, true",
                "bytes=999-999, 999, 999, true",
                "BYTES=5-6, 5, 6, true",
            })
    void shouldServeTheRangeWhenItIsSatisfiable(String header, long first, long last, boolean partial) {
        // When
        ByteRange range = ByteRange.of(header, 1000);

        // Then
        assertThat(range).isEqualTo(new ByteRange(first, last, partial));
        assertThat(range.length()).isEqualTo(last - first + 1);
    }

    @ParameterizedTest(name = "{0} of 1000 bytes -> 416")
    @CsvSource({"bytes=1000-", "bytes=5000-6000", "bytes=9-3", "bytes=-0", "bytes=-", "bytes=a-b", "'bytes=0-1,5-6'"})
    void shouldRefuseTheRangeWhenItCannotBeServed(String header) {
        assertThatThrownBy(() -> ByteRange.of(header, 1000)).isInstanceOf(ByteRange.NotSatisfiable.class);
    }

    @ParameterizedTest
    @CsvSource({"bytes=0-9, 'bytes 0-9/1000'", "bytes=-1, 'bytes 999-999/1000'"})
    void shouldDescribeThePartWhenPartial(String header, String contentRange) {
        assertThat(ByteRange.of(header, 1000).contentRange(1000)).isEqualTo(contentRange);
    }
}
