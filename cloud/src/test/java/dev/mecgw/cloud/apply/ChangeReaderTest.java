package dev.mecgw.cloud.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChangeReaderTest {

    private static final String TOPIC = "plant-7.public.events";

    @Test
    void shouldReadTheDebeziumEnvelopeWhenTheGatewaySendsIt() {
        // given an update in Debezium's JSON envelope with the mecgw source block
        String value = "{\"before\":null,\"after\":{\"id\":42,\"kind\":\"alarm\"},\"op\":\"u\",\"ts_ms\":1,"
                + "\"source\":{\"connector\":\"mecgw\",\"name\":\"plant-7\",\"site\":\"plant-7\",\"db\":\"mecgw\","
                + "\"schema\":\"public\",\"table\":\"events\",\"lsn\":900,\"generation\":3,\"ts_ms\":1000}}";

        // when
        Change change = read("{\"id\":42}", value);

        // then
        assertThat(change.siteId()).isEqualTo("plant-7");
        assertThat(change.table()).isEqualTo("public.events");
        assertThat(change.delete()).isFalse();
        assertThat(change.generation()).isEqualTo(3);
        assertThat(change.lsn()).isEqualTo(900);
        assertThat(change.commitTime()).isEqualTo(Instant.ofEpochMilli(1000));
        assertThat(change.row().get("kind").asText()).isEqualTo("alarm");
    }

    @Test
    void shouldTakeGenerationZeroWhenTheProducerSendsNone() {
        String value = "{\"before\":null,\"after\":{\"id\":1},\"op\":\"c\",\"ts_ms\":5,"
                + "\"source\":{\"schema\":\"public\",\"table\":\"events\",\"lsn\":7}}";

        Change change = read("{\"id\":1}", value);

        assertThat(change.generation()).isZero();
        assertThat(change.siteId()).as("site from the topic").isEqualTo("plant-7");
        assertThat(change.commitTime()).isEqualTo(Instant.ofEpochMilli(5));
    }

    @Test
    void shouldReadTheKeyColumnsOfADeleteFromTheRecordKeyWhenBeforeIsPartial() {
        String value = "{\"before\":{},\"after\":null,\"op\":\"d\",\"ts_ms\":5,"
                + "\"source\":{\"site\":\"plant-7\",\"schema\":\"public\",\"table\":\"events\",\"lsn\":8}}";

        Change change = read("{\"id\":42}", value);

        assertThat(change.delete()).isTrue();
        assertThat(change.row().get("id").asLong()).isEqualTo(42);
    }

    @Test
    void shouldReadTheEarlierFlatFormatWhenAnOlderGatewaySendsIt() {
        // given the flat format of ChangeEventCodec before issue 17
        String value = "{\"site\":\"plant-7\",\"table\":\"public.events\",\"op\":\"d\",\"lsn\":77,"
                + "\"commitTime\":\"2026-12-05T15:00:00Z\",\"key\":\"{\\\"id\\\":42}\",\"after\":null}";

        Change change = read(null, value);

        assertThat(change.delete()).isTrue();
        assertThat(change.generation()).isZero();
        assertThat(change.lsn()).isEqualTo(77);
        assertThat(change.key().get("id").asLong()).isEqualTo(42);
        assertThat(change.row().get("id").asLong()).isEqualTo(42);
        assertThat(change.commitTime()).isEqualTo(Instant.parse("2026-12-05T15:00:00Z"));
    }

    @Test
    void shouldIgnoreACompactionTombstone() {
        assertThat(ChangeReader.read(TOPIC, "{\"id\":1}".getBytes(StandardCharsets.UTF_8), null))
                .isNull();
    }

    @Test
    void shouldRejectARecordThatIsNeitherFormat() {
        assertThatThrownBy(() -> read("{\"id\":1}", "[1,2]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> read("{\"id\":1}", "{\"source\":{},\"op\":\"t\",\"ts_ms\":1}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> read("{\"id\":1}", "not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> read("{\"id\":1}", "{\"site\":\"s\",\"op\":\"c\",\"commitTime\":\"x\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Change read(String key, String value) {
        return ChangeReader.read(
                TOPIC,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }
}
