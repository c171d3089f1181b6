package dev.mecgw.app.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.ingest.TelemetryPayloadParser;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.telemetry.Reading;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.Test;

class TelemetryDecoderTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private final TelemetryDecoder decoder = new TelemetryDecoder(new TelemetryPayloadParser(
            new ObjectMapper(),
            Clock.fixed(NOW, java.time.ZoneOffset.UTC),
            Instant.parse("2000-01-01T00:00:00Z"),
            Duration.ofDays(1)));

    @Test
    void shouldReadIntegerLabelsWhenPayloadIsSenmlCbor() throws Exception {
        // given
        byte[] cbor = CoapTelemetryTest.senmlCbor("dev1/", "temp", 21.5);

        // when
        List<Reading> readings = decoder.decode("d1", MediaTypeRegistry.APPLICATION_SENML_CBOR, cbor, NOW);

        // then
        assertThat(readings).containsExactly(new Reading("d1", "dev1/temp", NOW, 21.5));
    }

    @Test
    void shouldTreatMissingContentFormatAsJsonWhenDecoding() {
        // when
        List<Reading> readings = decoder.decode("d1", MediaTypeRegistry.UNDEFINED, json("{\"hum\": 40}"), NOW);

        // then
        assertThat(readings).containsExactly(new Reading("d1", "hum", NOW, 40));
    }

    @Test
    void shouldRejectObjectWhenDeclaredAsSenmlJson() {
        // when / then
        assertThatThrownBy(() ->
                        decoder.decode("d1", MediaTypeRegistry.APPLICATION_SENML_JSON, json("{\"hum\": 40}"), NOW))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("array");
    }

    @Test
    void shouldRejectGarbageWhenDeclaredAsSenmlCbor() {
        // when / then
        assertThatThrownBy(() -> decoder.decode(
                        "d1", MediaTypeRegistry.APPLICATION_SENML_CBOR, new byte[] {(byte) 0xff, 0x00, 0x13}, NOW))
                .isInstanceOf(GatewayException.class);
    }

    @Test
    void shouldSignalUnsupportedFormatWhenContentFormatIsUnknown() {
        // when / then
        assertThatThrownBy(() -> decoder.decode("d1", MediaTypeRegistry.TEXT_PLAIN, json("1"), NOW))
                .isInstanceOf(TelemetryDecoder.UnsupportedFormatException.class);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
