package dev.mecgw.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.telemetry.Reading;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TelemetryPayloadParserTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final long TS = Instant.parse("2026-11-27T10:00:00Z").toEpochMilli();
    private final TelemetryPayloadParser parser = new TelemetryPayloadParser(
            new ObjectMapper(), Clock.fixed(NOW, ZoneOffset.UTC), EARLIEST, Duration.ofDays(1));

    @Test
    void shouldUseReceiveTimeWhenObjectHasNoTs() {
        List<Reading> readings = parse("{\"temp\": 21.5, \"hum\": 40}");
        assertThat(readings)
                .containsExactlyInAnyOrder(new Reading("d1", "temp", NOW, 21.5), new Reading("d1", "hum", NOW, 40));
    }

    @Test
    void shouldApplyTsWhenObjectCarriesOne() {
        assertThat(parse("{\"ts\": \"2026-11-27T11:00:00+01:00\", \"temp\": 1}"))
                .containsExactly(new Reading("d1", "temp", Instant.parse("2026-11-27T10:00:00Z"), 1));
        assertThat(parse("{\"ts\": " + TS + ", \"temp\": 1}"))
                .containsExactly(new Reading("d1", "temp", Instant.ofEpochMilli(TS), 1));
    }

    @Test
    void shouldApplyTsWhenItFollowsTheMetrics() {
        assertThat(parse("{\"temp\": 1, \"hum\": 2, \"ts\": " + TS + "}"))
                .containsExactly(
                        new Reading("d1", "temp", Instant.ofEpochMilli(TS), 1),
                        new Reading("d1", "hum", Instant.ofEpochMilli(TS), 2));
    }

    @Test
    void shouldKeepLastValueWhenMetricRepeats() {
        assertThat(parse("{\"temp\": 1, \"temp\": 2}")).containsExactly(new Reading("d1", "temp", NOW, 2));
    }

    @Test
    void shouldResolveBaseNamesTimesAndUnitsWhenPayloadIsSenml() {
        // RFC 8428 section 5.1.2 style pack: base name, base time, relative and absolute times
        String senml = "[{\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"bt\":1.320067464e+09,\"n\":\"temp\",\"u\":\"Cel\","
                + "\"v\":23.1},{\"n\":\"temp\",\"t\":60,\"v\":23.4,\"u\":\"Cel\"}]";
        assertThat(parse(senml))
                .containsExactly(
                        new Reading(
                                "d1",
                                "urn:dev:ow:10e2073a01080063:temp",
                                Instant.ofEpochSecond(1_320_067_464),
                                23.1,
                                "Cel",
                                Reading.Kind.NUMBER),
                        new Reading(
                                "d1",
                                "urn:dev:ow:10e2073a01080063:temp",
                                Instant.ofEpochSecond(1_320_067_524),
                                23.4,
                                "Cel",
                                Reading.Kind.NUMBER));
        assertThat(parse("[{\"n\":\"x\",\"v\":1,\"t\":-5}]"))
                .containsExactly(new Reading("d1", "x", NOW.minusSeconds(5), 1));
    }

    @Test
    void shouldStoreBaseValuePlusValueWhenPackUsesBv() {
        // issue 23: the old parser stored v and lost bv
        assertThat(parse("[{\"bn\":\"m/\",\"bv\":100,\"n\":\"level\",\"v\":2.5}]"))
                .extracting(Reading::value)
                .containsExactly(102.5);
    }

    @Test
    void shouldStoreBooleansAsZeroOrOneAndSumsApartWhenPackCarriesThem() {
        List<Reading> readings =
                parse("[{\"n\":\"door\",\"vb\":true},{\"n\":\"flow\",\"u\":\"m3\",\"v\":2," + "\"bs\":10,\"s\":5}]");
        assertThat(readings)
                .containsExactly(
                        new Reading("d1", "door", NOW, 1, null, Reading.Kind.BOOLEAN),
                        new Reading("d1", "flow", NOW, 2, "m3", Reading.Kind.NUMBER),
                        new Reading("d1", "flow#sum", NOW, 15, "m3", Reading.Kind.SUM));
    }

    @Test
    void shouldKeepEachUnitApartWhenOneNameCarriesSeveralUnits() throws IOException {
        // RFC 8428 section 5.1.3 sends humidity, longitude and latitude under one name at the same time
        byte[] pack;
        try (InputStream in = getClass().getResourceAsStream("/ingest/rfc8428-5.1.3.json")) {
            pack = in.readAllBytes();
        }
        List<Reading> readings = parser.parse("d1", pack, NOW);
        assertThat(readings).hasSize(13);
        assertThat(readings)
                .extracting(Reading::metric)
                .containsOnly(
                        "urn:dev:ow:10e2073a01080063#%RH",
                        "urn:dev:ow:10e2073a01080063#lon",
                        "urn:dev:ow:10e2073a01080063#lat",
                        "urn:dev:ow:10e2073a01080063#%EL");
        assertThat(readings.stream().map(r -> r.metric() + "@" + r.ts()).distinct())
                .hasSize(13);
    }

    @Test
    void shouldRefuseNamingTheRecordWhenPackHoldsAStringValue() {
        // RFC 8428 section 5.1.5: string and data values are not stored (issue 23), and not silently dropped
        assertThatThrownBy(() -> parse("[{\"n\":\"temp\",\"v\":1},{\"n\":\"label\",\"vs\":\"kitchen\"}]"))
                .isInstanceOf(GatewayException.class)
                .hasMessageStartingWith("SenML record 1: vs values are not stored");
        assertThatThrownBy(() -> parse("[{\"n\":\"blob\",\"vd\":\"aGkgCg\"}]"))
                .hasMessageStartingWith("SenML record 0: vd values are not stored");
    }

    @Test
    void shouldReadTheRfcCborExampleWhenContentTypeIsSenmlCbor() throws IOException {
        // given RFC 8428 section 6: the CBOR form of the section 5.1.2 pack
        byte[] cbor = cborFixture();
        // when
        List<Reading> readings = parser.parse("d1", "application/senml+cbor", cbor, NOW);
        // then
        Instant base = Instant.parse("2010-06-08T18:01:16.001Z");
        assertThat(readings).hasSize(7);
        assertThat(readings.get(0))
                .isEqualTo(
                        new Reading("d1", "urn:dev:ow:10e2073a0108006:voltage", base, 120.1, "V", Reading.Kind.NUMBER));
        assertThat(readings.get(1))
                .isEqualTo(new Reading(
                        "d1",
                        "urn:dev:ow:10e2073a0108006:current",
                        base.minusSeconds(5),
                        1.2,
                        "A",
                        Reading.Kind.NUMBER));
        assertThat(readings.get(4).value()).isEqualTo(1.5);
    }

    @Test
    void shouldOnlyRefuseCleanlyWhenPacksAreRandom() {
        // Fuzzed SenML packs, JSON and CBOR: readings or a BAD_REQUEST, never any other exception
        Random random = new Random(23);
        ObjectMapper json = new ObjectMapper();
        CBORMapper cbor = new CBORMapper();
        for (int i = 0; i < 3000; i++) {
            ArrayNode pack = randomPack(random);
            for (boolean asCbor : new boolean[] {false, true}) {
                try {
                    byte[] bytes = asCbor ? cbor.writeValueAsBytes(pack) : json.writeValueAsBytes(pack);
                    if (asCbor && random.nextInt(4) == 0) {
                        bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
                    }
                    List<Reading> readings = parser.parse("d1", asCbor ? "application/senml+cbor" : null, bytes, NOW);
                    assertThat(readings).isNotEmpty();
                } catch (GatewayException e) {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static ArrayNode randomPack(Random random) {
        String[] labels = {
            "bn", "bt", "bu", "bv", "bs", "bver", "n", "u", "v", "vs", "vb", "vd", "s", "t", "ut", "l", "x_", "-1", "2"
        };
        ArrayNode pack = JsonNodeFactory.instance.arrayNode();
        int records = random.nextInt(6);
        for (int r = 0; r < records; r++) {
            if (random.nextInt(20) == 0) {
                pack.add(random.nextInt());
                continue;
            }
            ObjectNode record = pack.addObject();
            int fields = random.nextInt(6);
            for (int f = 0; f < fields; f++) {
                String label = labels[random.nextInt(labels.length)];
                switch (random.nextInt(7)) {
                    case 0 -> record.put(label, "n" + random.nextInt(3));
                    case 1 -> record.put(label, random.nextBoolean());
                    case 2 -> record.put(label, random.nextInt(20) - 10);
                    case 3 -> record.put(label, (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(320)));
                    case 4 -> record.put(label, random.nextLong());
                    case 5 -> record.putNull(label);
                    default -> record.put(label, 1.7e9 + random.nextInt(1000));
                }
            }
        }
        return pack;
    }

    private static byte[] cborFixture() throws IOException {
        String hex;
        try (InputStream in = TelemetryPayloadParserTest.class.getResourceAsStream("/ingest/rfc8428-6.cbor.hex")) {
            hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII).replaceAll("\\s", "");
        }
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void shouldAcceptTimesAtTheWindowEdges() {
        assertThat(parse("{\"ts\":\"2000-01-01T00:00:00Z\",\"x\":1}")).hasSize(1);
        assertThat(parse("{\"ts\":\"2026-11-28T12:00:00Z\",\"x\":1}")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not json",
                "42",
                "\"text\"",
                "{}",
                "{\"temp\":\"hot\"}",
                "{\"ts\":\"yesterday\",\"a\":1}",
                "[1,2]",
                "[{\"n\":\"x\",\"v\":\"1\"}]",
                "{\"\":1}",
                "[]",
                "",
                "{\"a\":{\"b\":1}}",
                "{\"a\":[1]}",
                "{\"a\":1e999}",
                "{\"ts\":123456789012345678901234567890,\"a\":1}",
                "{\"a\":1",
                "{\"a\":null}",
                // issue 15: times outside 2000-01-01 .. now + 1 day, and beyond what Instant can hold
                "{\"ts\":9300000000000000,\"x\":1}",
                "{\"ts\":1000,\"x\":1}",
                "{\"ts\":\"2026-11-28T12:00:01Z\",\"x\":1}",
                "[{\"n\":\"x\",\"v\":1,\"t\":1e300}]",
                "[{\"n\":\"x\",\"v\":1,\"bt\":-1e300}]",
                "[{\"n\":\"x\",\"v\":1,\"t\":9.3e12}]"
            })
    void shouldRejectWithBadRequestWhenPayloadIsUnusable(String payload) {
        assertThatThrownBy(() -> parse(payload))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST));
    }

    private List<Reading> parse(String payload) {
        return parser.parse("d1", payload.getBytes(StandardCharsets.UTF_8), NOW);
    }
}
