package dev.mecgw.sync.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.sync.cdc.ChangeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wire format of CONTRACT §1 (issue 17.4): Debezium's envelope out, envelope and the old flat format in. */
class ChangeEventCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant COMMIT = Instant.parse("2026-01-01T00:00:00.123Z");

    @Test
    void shouldRoundTripWhenChangeIsEncodedAndDecoded() {
        // given
        ChangeEvent event = givenAnUpdate(1_780_000_000_000L, 123456789L);
        // when
        ChangeEvent decoded = ChangeEventCodec.decode(ChangeEventCodec.key(event), ChangeEventCodec.encode(event));
        // then
        assertThat(decoded).isEqualTo(event);
        assertThat(ChangeEventCodec.topic("site-a", "public.events")).isEqualTo("site-a.public.events");
    }

    @Test
    void shouldWriteDebeziumEnvelopeWithSourceWhenChangeIsEncoded() throws Exception {
        // when
        JsonNode value = JSON.readTree(ChangeEventCodec.encode(givenAnUpdate(1_780_000_000_000L, 123456789L)));
        // then: the fields a stock CDC consumer reads, and the ordering pair
        assertThat(value.get("before").isNull()).isTrue();
        assertThat(value.get("after").get("kind").asText()).isEqualTo("alarm");
        assertThat(value.get("op").asText()).isEqualTo("u");
        assertThat(value.get("ts_ms").asLong()).isEqualTo(COMMIT.toEpochMilli());
        JsonNode source = value.get("source");
        assertThat(source.get("connector").asText()).isEqualTo("mecgw");
        assertThat(source.get("name").asText()).isEqualTo("site-a");
        assertThat(source.get("site").asText()).isEqualTo("site-a");
        assertThat(source.get("db").asText()).isEqualTo("mecgw");
        assertThat(source.get("schema").asText()).isEqualTo("public");
        assertThat(source.get("table").asText()).isEqualTo("events");
        assertThat(source.get("lsn").asLong()).isEqualTo(123456789L);
        assertThat(source.get("generation").asLong()).isEqualTo(1_780_000_000_000L);
        assertThat(source.get("ts_ms").asLong()).isEqualTo(COMMIT.toEpochMilli());
        assertThat(source.get("version").asText()).isNotBlank();
    }

    @Test
    void shouldCarryKeyColumnsInBeforeWhenChangeIsADelete() throws Exception {
        // given
        ChangeEvent delete =
                new ChangeEvent("site-a", "public.events", ChangeEvent.Op.DELETE, 5L, 99L, COMMIT, "{\"id\":5}", null);
        // when
        byte[] value = ChangeEventCodec.encode(delete);
        // then
        JsonNode envelope = JSON.readTree(value);
        assertThat(envelope.get("before").get("id").asInt()).isEqualTo(5);
        assertThat(envelope.get("after").isNull()).isTrue();
        assertThat(envelope.get("op").asText()).isEqualTo("d");
        assertThat(ChangeEventCodec.decode(value)).isEqualTo(delete);
    }

    @Test
    void shouldDecodeAsGenerationZeroWhenValueIsInTheOldFlatFormat() {
        // given: what gateways before the envelope wrote
        String flat = "{\"site\":\"site-a\",\"table\":\"public.events\",\"op\":\"u\",\"lsn\":42,"
                + "\"commitTime\":\"2026-01-01T00:00:00.123Z\",\"key\":\"{\\\"id\\\":5}\",\"after\":{\"id\":5}}";
        // when
        ChangeEvent event = ChangeEventCodec.decode(null, flat.getBytes(StandardCharsets.UTF_8));
        // then
        assertThat(event)
                .isEqualTo(new ChangeEvent(
                        "site-a",
                        "public.events",
                        ChangeEvent.Op.UPDATE,
                        0L,
                        42L,
                        COMMIT,
                        "{\"id\":5}",
                        Map.of("id", 5)));
    }

    @Test
    void shouldOrderByGenerationThenLsnWhenChangesOfOneRowAreCompared() {
        // given: an old database's late change and a restored database's first change (lower LSN)
        ChangeEvent old = givenAnUpdate(100L, 9_000_000L);
        ChangeEvent restored = givenAnUpdate(200L, 1_000L);
        // then
        assertThat(restored.isNewerThan(old)).isTrue();
        assertThat(old.isNewerThan(restored)).isFalse();
        assertThat(givenAnUpdate(100L, 9_000_001L).isNewerThan(old)).isTrue();
        assertThat(old.isNewerThan(old)).isFalse();
    }

    @Test
    void shouldRejectWithClearErrorWhenValueIsNotAChange() {
        assertThatThrownBy(() -> ChangeEventCodec.decode("{\"hello\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a mecgw change record");
    }

    private static ChangeEvent givenAnUpdate(long generation, long lsn) {
        return new ChangeEvent(
                "site-a",
                "public.events",
                ChangeEvent.Op.UPDATE,
                generation,
                lsn,
                COMMIT,
                "{\"id\":5}",
                Map.of("id", 5, "kind", "alarm"));
    }
}
