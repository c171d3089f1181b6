package dev.mecgw.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8428 resolution (section 4.6) on the RFC's own examples (section 5), issue 23. */
class SenmlResolverTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SenmlResolver resolver = new SenmlResolver(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldMatchTheRfcResolvedFormWhenPackIsTheMultipleMeasurementsExample() throws IOException {
        // given RFC 8428 section 5.1.3 and its resolved form in section 5.1.4
        JsonNode pack = fixture("rfc8428-5.1.3.json");
        JsonNode expected = fixture("rfc8428-5.1.4-resolved.json");
        // when
        List<SenmlRecord> resolved = resolver.resolve(pack);
        // then every record carries the base name, base unit or its own unit, and an absolute time
        assertThat(resolved).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode want = expected.get(i);
            SenmlRecord got = resolved.get(i);
            assertThat(got.name()).isEqualTo(want.get("n").asText());
            assertThat(got.unit()).isEqualTo(want.get("u").asText());
            assertThat(got.time()).isEqualTo(Instant.ofEpochSecond(want.get("t").asLong()));
            assertThat(got.value()).isEqualTo(want.get("v").asDouble());
            assertThat(got.kind()).isEqualTo(SenmlRecord.Kind.NUMBER);
        }
    }

    @Test
    void shouldApplyBaseTimeAndBaseUnitWhenPackIsTheMultipleDatapointsExample() throws IOException {
        // given RFC 8428 section 5.1.2 (second pack): base time with millisecond fraction, t relative to it
        JsonNode pack = JSON.readTree("[{\"bn\":\"urn:dev:ow:10e2073a0108006:\",\"bt\":1.276020076001e+09,"
                + "\"bu\":\"A\",\"bver\":5,\"n\":\"voltage\",\"u\":\"V\",\"v\":120.1},"
                + "{\"n\":\"current\",\"t\":-5,\"v\":1.2},{\"n\":\"current\",\"t\":-4,\"v\":1.3},"
                + "{\"n\":\"current\",\"t\":-3,\"v\":1.4},{\"n\":\"current\",\"t\":-2,\"v\":1.5},"
                + "{\"n\":\"current\",\"t\":-1,\"v\":1.6},{\"n\":\"current\",\"v\":1.7}]");
        // when
        List<SenmlRecord> resolved = resolver.resolve(pack);
        // then
        Instant base = Instant.parse("2010-06-08T18:01:16.001Z");
        assertThat(resolved.get(0))
                .extracting(SenmlRecord::name, SenmlRecord::unit, SenmlRecord::time, SenmlRecord::value)
                .containsExactly("urn:dev:ow:10e2073a0108006:voltage", "V", base, 120.1);
        assertThat(resolved.get(1))
                .extracting(SenmlRecord::name, SenmlRecord::unit, SenmlRecord::time, SenmlRecord::value)
                .containsExactly("urn:dev:ow:10e2073a0108006:current", "A", base.minusSeconds(5), 1.2);
        assertThat(resolved.get(6).time()).isEqualTo(base);
    }

    @Test
    void shouldUseNowWhenPackIsTheSingleDatapointExample() throws IOException {
        // RFC 8428 section 5.1.1: no time means "now"
        List<SenmlRecord> resolved =
                resolver.resolve(JSON.readTree("[{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"Cel\",\"v\":23.1}]"));
        assertThat(resolved)
                .singleElement()
                .extracting(SenmlRecord::name, SenmlRecord::unit, SenmlRecord::time, SenmlRecord::value)
                .containsExactly("urn:dev:ow:10e2073a01080063", "Cel", NOW, 23.1);
    }

    @Test
    void shouldResolveEveryValueKindWhenPackIsTheMultipleDataTypesExample() throws IOException {
        // given RFC 8428 section 5.1.5
        JsonNode pack = JSON.readTree("[{\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"n\":\"temp\",\"u\":\"Cel\","
                + "\"v\":23.1},{\"n\":\"label\",\"vs\":\"Machine Room\"},{\"n\":\"open\",\"vb\":false},"
                + "{\"n\":\"nfv-reader\",\"vd\":\"aGkgCg\"}]");
        // when
        List<SenmlRecord> resolved = resolver.resolve(pack);
        // then
        assertThat(resolved)
                .extracting(SenmlRecord::kind)
                .containsExactly(
                        SenmlRecord.Kind.NUMBER,
                        SenmlRecord.Kind.STRING,
                        SenmlRecord.Kind.BOOLEAN,
                        SenmlRecord.Kind.DATA);
        assertThat(resolved.get(1).text()).isEqualTo("Machine Room");
        assertThat(resolved.get(2).value()).isEqualTo(0d);
        assertThat(resolved.get(3).text()).isEqualTo("aGkgCg");
    }

    @Test
    void shouldAddBaseValueAndBaseSumWhenBaseFieldsCarryAcrossRecords() throws IOException {
        // given bv/bs set once, then overridden by a later record
        JsonNode pack = JSON.readTree("[{\"bn\":\"meter/\",\"bv\":1000,\"bs\":50,\"bu\":\"kWh\",\"n\":\"e\",\"v\":1.5},"
                + "{\"n\":\"e\",\"v\":2,\"s\":3},"
                + "{\"bn\":\"other/\",\"bv\":0,\"n\":\"e\",\"v\":7},"
                + "{\"n\":\"e\",\"s\":4}]");
        // when
        List<SenmlRecord> resolved = resolver.resolve(pack);
        // then
        assertThat(resolved).extracting(SenmlRecord::name).containsExactly("meter/e", "meter/e", "other/e", "other/e");
        assertThat(resolved).extracting(SenmlRecord::value).containsExactly(1001.5, 1002d, 7d, null);
        assertThat(resolved).extracting(SenmlRecord::sum).containsExactly(null, 53d, null, 54d);
        assertThat(resolved).extracting(SenmlRecord::unit).containsOnly("kWh");
        assertThat(resolved.get(3).kind()).isEqualTo(SenmlRecord.Kind.NONE);
    }

    @Test
    void shouldCountFromNowWhenTimesAreRelative() throws IOException {
        // RFC 8428 section 4.5.3: below 2^28 the resolved time is relative to now, base time included
        List<SenmlRecord> resolved = resolver.resolve(
                JSON.readTree("[{\"bt\":-10,\"n\":\"x\",\"v\":1,\"t\":2},{\"n\":\"x\",\"v\":2,\"ut\":30}]"));
        assertThat(resolved).extracting(SenmlRecord::time).containsExactly(NOW.minusSeconds(8), NOW.minusSeconds(10));
        assertThat(resolved.get(1).updateTime()).isEqualTo(30d);
    }

    @Test
    void shouldIgnoreUnknownLabelsWhenTheyAreNotMandatory() throws IOException {
        assertThat(resolver.resolve(JSON.readTree("[{\"n\":\"x\",\"v\":1,\"l\":\"link\",\"foo\":2}]")))
                .singleElement()
                .extracting(SenmlRecord::value)
                .isEqualTo(1d);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[{\"bver\":11,\"n\":\"x\",\"v\":1}]",
                "[{\"bver\":1.5,\"n\":\"x\",\"v\":1}]",
                "[{\"n\":\"x\",\"v\":1,\"must_\":true}]",
                "[{\"n\":\"x\"}]",
                "[{\"n\":\"x\",\"v\":1,\"vb\":true}]",
                "[{\"n\":\"x\",\"vb\":1}]",
                "[{\"n\":\"-x\",\"v\":1}]",
                "[{\"n\":\"a b\",\"v\":1}]",
                "[{\"v\":1}]",
                "[{\"n\":\"x\",\"u\":7,\"v\":1}]",
                "[{\"n\":\"x\",\"v\":1,\"t\":\"now\"}]",
                "[{\"n\":\"x\",\"v\":1,\"bt\":1e308,\"t\":1e308}]",
                "[{\"n\":\"x\",\"v\":1e308,\"bv\":1e308}]",
                "[{\"n\":\"x\",\"v\":1},2]"
            })
    void shouldRefuseNamingTheRecordWhenPackBreaksTheRfc(String pack) throws IOException {
        JsonNode tree = JSON.readTree(pack);
        assertThatThrownBy(() -> resolver.resolve(tree)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
            assertThat(e.getMessage()).startsWith("SenML record ");
        });
    }

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = SenmlResolverTest.class.getResourceAsStream("/ingest/" + name)) {
            return JSON.readTree(in);
        }
    }
}
