package dev.mecgw.sync.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mecgw.sync.cdc.ChangeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeEventCodecTest {

    @Test
    void shouldRoundTripWhenChangeIsEncodedAndDecoded() {
        // given
        ChangeEvent event = new ChangeEvent(
                "site-a",
                "public.events",
                ChangeEvent.Op.UPDATE,
                123456789L,
                Instant.parse("2026-01-01T00:00:00.123Z"),
                "{\"id\":5}",
                Map.of("id", 5, "kind", "alarm"));
        // when
        ChangeEvent decoded = ChangeEventCodec.decode(ChangeEventCodec.encode(event));
        // then
        assertThat(decoded).isEqualTo(event);
        assertThat(ChangeEventCodec.topic("site-a", "public.events")).isEqualTo("site-a.public.events");
    }

    @Test
    void shouldRejectWithClearErrorWhenValueIsNotAChange() {
        assertThatThrownBy(() -> ChangeEventCodec.decode("{\"hello\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a mecgw change record");
    }
}
