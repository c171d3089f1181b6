package dev.mecgw.app.southbound.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mecgw.app.telemetry.Reading;
import java.time.Instant;
import java.util.Map;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.junit.jupiter.api.Test;

/** Issue 21.3: which Sparkplug metric types become readings, with which value, and what is skipped. */
class MetricReadingsTest {

    private static final Instant RECEIVED = Instant.parse("2026-12-05T12:00:00Z");

    @Test
    void shouldStoreNumbersWithSignAndBooleansAsZeroOrOneWhenTypesAreNumeric() {
        // given a birth of every numeric type, signed ones sent sign-extended or not
        Payload birth = Payload.newBuilder()
                .addMetrics(metric("i8", MetricReadings.INT8).setIntValue(0xFF))
                .addMetrics(metric("i16", MetricReadings.INT16).setIntValue(-2))
                .addMetrics(metric("u32", MetricReadings.UINT32).setIntValue(-1))
                .addMetrics(metric("u64", MetricReadings.UINT64).setLongValue(-1L))
                .addMetrics(metric("f", MetricReadings.FLOAT).setFloatValue(1.5f))
                .addMetrics(metric("b", MetricReadings.BOOLEAN).setBooleanValue(true))
                .build();

        // when it is turned into readings
        MetricReadings.Result result = MetricReadings.readings("n", birth, scopeOf(birth), RECEIVED);

        // then each is stored with its value and kind
        assertThat(result.readings())
                .extracting(Reading::metric, Reading::value, Reading::kind)
                .containsExactly(
                        tuple("i8", -1.0, Reading.Kind.NUMBER),
                        tuple("i16", -2.0, Reading.Kind.NUMBER),
                        tuple("u32", 4294967295.0, Reading.Kind.NUMBER),
                        tuple("u64", 18446744073709551615.0, Reading.Kind.NUMBER),
                        tuple("f", 1.5, Reading.Kind.NUMBER),
                        tuple("b", 1.0, Reading.Kind.BOOLEAN));
        assertThat(result.readings()).allMatch(r -> r.ts().equals(RECEIVED));
    }

    @Test
    void shouldSkipTextNullTransientAndControlMetricsWhenTheyAreNotMeasurements() {
        Payload birth = Payload.newBuilder()
                .setTimestamp(1_000)
                .addMetrics(metric("s", 12).setStringValue("x"))
                .addMetrics(metric("null", MetricReadings.DOUBLE).setIsNull(true))
                .addMetrics(
                        metric("tr", MetricReadings.DOUBLE).setIsTransient(true).setDoubleValue(1))
                .addMetrics(metric("bdSeq", MetricReadings.INT64).setLongValue(3))
                .addMetrics(
                        metric("Node Control/Rebirth", MetricReadings.BOOLEAN).setBooleanValue(false))
                .addMetrics(metric("nan", MetricReadings.DOUBLE).setDoubleValue(Double.NaN))
                .addMetrics(metric("kept", MetricReadings.DOUBLE).setDoubleValue(2))
                .build();

        MetricReadings.Result result = MetricReadings.readings("n", birth, scopeOf(birth), RECEIVED);

        assertThat(result.readings()).extracting(Reading::metric).containsExactly("kept");
        assertThat(result.readings().get(0).ts()).isEqualTo(Instant.ofEpochMilli(1_000));
        assertThat(result.skipped()).isEqualTo(6);
    }

    @Test
    void shouldResolveAliasesAndCountUnknownOnesWhenDataCarriesNoNames() {
        Payload birth = Payload.newBuilder()
                .addMetrics(
                        metric("Temperature", MetricReadings.DOUBLE).setAlias(7).setDoubleValue(1))
                .build();
        Payload data = Payload.newBuilder()
                .addMetrics(Metric.newBuilder().setAlias(7).setDoubleValue(2.5))
                .addMetrics(Metric.newBuilder().setAlias(8).setDoubleValue(3.5))
                .build();

        MetricReadings.Result result = MetricReadings.readings("n", data, scopeOf(birth), RECEIVED);

        assertThat(result.readings())
                .extracting(Reading::metric, Reading::value)
                .containsExactly(tuple("Temperature", 2.5));
        assertThat(result.unknownAliases()).isEqualTo(1);
    }

    @Test
    void shouldRefuseDeviceBirthWhenNodeBudgetInBytesWouldBeExceeded() {
        // given a node with a small budget
        MetricScope small = MetricScope.of(java.util.List.of(new MetricDefinition("a", 10)), Map.of());
        EdgeNode node = new EdgeNode("n", "g", 0L, 0, small, 1_000, java.util.Set.of());
        MetricScope big = MetricScope.of(
                java.util.stream.IntStream.range(0, 20)
                        .mapToObj(i -> new MetricDefinition("metric-" + i, 10))
                        .toList(),
                Map.of());

        // then a device birth beyond it is refused and changes nothing; a small one fits
        assertThat(node.deviceBorn("d", big)).isFalse();
        assertThat(node.deviceScope("d")).isNull();
        assertThat(node.deviceBorn("d", small)).isTrue();
        assertThat(node.bytes()).isLessThanOrEqualTo(1_000);
    }

    private static Metric.Builder metric(String name, int type) {
        return Metric.newBuilder().setName(name).setDatatype(type);
    }

    private static MetricScope scopeOf(Payload birth) {
        return MetricScope.of(MetricReadings.definitions(birth), MetricReadings.aliases(birth));
    }
}
