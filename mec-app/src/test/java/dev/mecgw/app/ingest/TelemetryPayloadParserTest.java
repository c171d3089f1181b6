package dev.mecgw.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.telemetry.Reading;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
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
    void shouldResolveBaseNamesAndTimesWhenPayloadIsSenml() {
        // RFC 8428 section 5.1.2 style pack: base name, base time, relative and absolute times
        String senml = "[{\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"bt\":1.320067464e+09,\"n\":\"temp\",\"u\":\"Cel\","
                + "\"v\":23.1},{\"n\":\"temp\",\"t\":60,\"v\":23.4},{\"n\":\"label\",\"vs\":\"kitchen\"}]";
        assertThat(parse(senml))
                .containsExactly(
                        new Reading(
                                "d1", "urn:dev:ow:10e2073a01080063:temp", Instant.ofEpochSecond(1_320_067_464), 23.1),
                        new Reading(
                                "d1", "urn:dev:ow:10e2073a01080063:temp", Instant.ofEpochSecond(1_320_067_524), 23.4));
        assertThat(parse("[{\"n\":\"x\",\"v\":1,\"t\":-5}]"))
                .containsExactly(new Reading("d1", "x", NOW.minusSeconds(5), 1));
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
