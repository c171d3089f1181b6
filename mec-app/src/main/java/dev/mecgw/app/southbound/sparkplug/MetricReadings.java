package dev.mecgw.app.southbound.sparkplug;

import dev.mecgw.app.telemetry.Reading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;

/**
 * Turns the metrics of a decoded Sparkplug B payload into readings (issue 21.3, docs/southbound.md). Numbers (the
 * integer types, Float, Double) are stored as numbers, Boolean as 0/1 of kind boolean; String, Text, UUID, DateTime,
 * Bytes, File, DataSet, Template and arrays are skipped and counted, as are null and transient metrics and the
 * control metrics ({@code bdSeq}, {@code Node Control/*}, {@code Device Control/*}). A data metric is named by its
 * alias as the birth declared it; an alias the birth did not declare is counted as unknown. Stateless.
 */
final class MetricReadings {

    /** The length limit of metric names in the telemetry store, as for MQTT/CoAP telemetry. */
    static final int MAX_METRIC_LENGTH = 128;

    static final int INT8 = 1;
    static final int INT16 = 2;
    static final int INT32 = 3;
    static final int INT64 = 4;
    static final int UINT8 = 5;
    static final int UINT16 = 6;
    static final int UINT32 = 7;
    static final int UINT64 = 8;
    static final int FLOAT = 9;
    static final int DOUBLE = 10;
    static final int BOOLEAN = 11;

    /**
     * @param readings what is stored
     * @param skipped metrics of a type or kind that is not stored
     * @param unknownAliases metrics whose alias no birth declared (a rebirth is due)
     */
    record Result(List<Reading> readings, int skipped, int unknownAliases) {}

    private MetricReadings() {}

    /** The named metrics of a birth. */
    static List<MetricDefinition> definitions(Payload birth) {
        List<MetricDefinition> named = new ArrayList<>(birth.getMetricsCount());
        for (Metric metric : birth.getMetricsList()) {
            if (metric.hasName()) {
                named.add(new MetricDefinition(metric.getName(), metric.getDatatype()));
            }
        }
        return named;
    }

    /** The aliases a birth declares, each with its metric's name and type. */
    static Map<Long, MetricDefinition> aliases(Payload birth) {
        Map<Long, MetricDefinition> aliases = new HashMap<>();
        for (Metric metric : birth.getMetricsList()) {
            if (metric.hasName() && metric.hasAlias()) {
                aliases.put(metric.getAlias(), new MetricDefinition(metric.getName(), metric.getDatatype()));
            }
        }
        return aliases;
    }

    /**
     * The readings of one message.
     *
     * @param deviceId the gateway device the readings belong to (the edge node or one of its devices)
     * @param scope the definitions of the birth the message belongs to
     * @param received when the message arrived; the time of metrics and payloads that carry none
     */
    static Result readings(String deviceId, Payload payload, MetricScope scope, Instant received) {
        Instant payloadTime = payload.hasTimestamp() ? Instant.ofEpochMilli(payload.getTimestamp()) : received;
        List<Reading> readings = new ArrayList<>(payload.getMetricsCount());
        int skipped = 0;
        int unknown = 0;
        for (Metric metric : payload.getMetricsList()) {
            String name;
            int type;
            if (metric.hasName()) {
                name = metric.getName();
                Integer declared = scope.typeOf(name);
                type = metric.hasDatatype() || declared == null ? metric.getDatatype() : declared;
            } else if (metric.hasAlias() && scope.byAlias(metric.getAlias()) != null) {
                MetricDefinition definition = scope.byAlias(metric.getAlias());
                name = definition.name();
                type = metric.hasDatatype() ? metric.getDatatype() : definition.dataType();
            } else {
                unknown++;
                continue;
            }
            Double value = stored(metric, type, name);
            if (value == null || !Double.isFinite(value)) {
                skipped++;
                continue;
            }
            Instant ts = metric.hasTimestamp() ? Instant.ofEpochMilli(metric.getTimestamp()) : payloadTime;
            Reading.Kind kind = type == BOOLEAN ? Reading.Kind.BOOLEAN : Reading.Kind.NUMBER;
            readings.add(new Reading(deviceId, name, ts, value, null, kind));
        }
        return new Result(readings, skipped, unknown);
    }

    /** The stored value, or null when this metric is not stored. */
    private static Double stored(Metric metric, int type, String name) {
        if ((metric.hasIsNull() && metric.getIsNull())
                || (metric.hasIsTransient() && metric.getIsTransient())
                || isControl(name)
                || name.isEmpty()
                || name.length() > MAX_METRIC_LENGTH) {
            return null;
        }
        return switch (type) {
            // Sparkplug 3.0 puts the signed types in the unsigned int field; the cast restores the sign whether
            // the sender sign-extended it or not.
            case INT8 -> metric.hasIntValue() ? (double) (byte) metric.getIntValue() : null;
            case INT16 -> metric.hasIntValue() ? (double) (short) metric.getIntValue() : null;
            case INT32 -> metric.hasIntValue() ? (double) metric.getIntValue() : longValue(metric, false);
            case UINT8 -> metric.hasIntValue() ? (double) (metric.getIntValue() & 0xFF) : null;
            case UINT16 -> metric.hasIntValue() ? (double) (metric.getIntValue() & 0xFFFF) : null;
            // Tahu's Java encoder puts UInt32 in the long field, the specification in the int field.
            case UINT32 ->
                metric.hasIntValue() ? (double) Integer.toUnsignedLong(metric.getIntValue()) : longValue(metric, false);
            case INT64 -> longValue(metric, false);
            case UINT64 -> longValue(metric, true);
            case FLOAT -> metric.hasFloatValue() ? (double) metric.getFloatValue() : doubleValue(metric);
            case DOUBLE -> metric.hasDoubleValue() ? metric.getDoubleValue() : floatValue(metric);
            case BOOLEAN -> metric.hasBooleanValue() ? (metric.getBooleanValue() ? 1.0 : 0.0) : null;
            default -> null;
        };
    }

    private static Double longValue(Metric metric, boolean unsigned) {
        if (!metric.hasLongValue()) {
            return null;
        }
        long value = metric.getLongValue();
        return unsigned && value < 0 ? Double.parseDouble(Long.toUnsignedString(value)) : (double) value;
    }

    private static Double doubleValue(Metric metric) {
        return metric.hasDoubleValue() ? metric.getDoubleValue() : null;
    }

    private static Double floatValue(Metric metric) {
        return metric.hasFloatValue() ? (double) metric.getFloatValue() : null;
    }

    private static boolean isControl(String name) {
        return name.equals("bdSeq") || name.startsWith("Node Control/") || name.startsWith("Device Control/");
    }
}
