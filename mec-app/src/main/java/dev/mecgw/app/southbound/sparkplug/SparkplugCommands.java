package dev.mecgw.app.southbound.sparkplug;

import dev.mecgw.app.acl.SparkplugTopic;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.twin.DeviceMessenger;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.tahu.SparkplugInvalidTypeException;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.jboss.logging.Logger;

/**
 * Writes NCMD and DCMD messages with Tahu's payload encoder and publishes them through the broker at QoS 0 (Sparkplug
 * 3.0 section 7.4: commands are QoS 0). Each metric gets the type its birth declared, the value converted to it and
 * range-checked; a metric the birth did not declare gets the type of its value (Boolean, Int64, Double or String).
 * Thread-safe.
 */
final class SparkplugCommands {

    /** The node control metric that asks an edge node to publish its births again (3.0 section 6.4.3). */
    static final String REBIRTH = "Node Control/Rebirth";

    private static final Logger LOG = Logger.getLogger(SparkplugCommands.class);

    private final DeviceMessenger messenger;
    private final Clock clock;

    SparkplugCommands(DeviceMessenger messenger, Clock clock) {
        this.messenger = messenger;
        this.clock = clock;
    }

    /** Asks a node for NBIRTH and DBIRTHs: {@code NCMD} with {@code Node Control/Rebirth = true}. Never throws. */
    void rebirth(String group, String node) {
        send(SparkplugTopic.ofNode(group, SparkplugTopic.Type.NCMD, node), Map.of(REBIRTH, true), new Declared(null))
                .exceptionally(e -> {
                    LOG.warnf("Rebirth request to Sparkplug node %s not sent: %s", node, e.getMessage());
                    return null;
                });
    }

    /**
     * Sends a command.
     *
     * @param device the Sparkplug device id for a DCMD, null for an NCMD to the node
     * @param metrics metric names and the values to write
     * @param scope the birth of the node or device, for the declared types; null when unknown
     * @return fails with BAD_REQUEST naming the metric whose value does not fit its type
     */
    CompletionStage<Void> send(
            String group, String node, String device, Map<String, Object> metrics, MetricScope scope) {
        String topic = device == null
                ? SparkplugTopic.ofNode(group, SparkplugTopic.Type.NCMD, node)
                : SparkplugTopic.ofDevice(group, SparkplugTopic.Type.DCMD, node, device);
        return send(topic, metrics, new Declared(scope));
    }

    private CompletionStage<Void> send(String topic, Map<String, Object> metrics, Declared declared) {
        try {
            SparkplugBPayload.SparkplugBPayloadBuilder payload =
                    new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(Date.from(clock.instant()));
            for (Map.Entry<String, Object> entry : metrics.entrySet()) {
                payload.addMetric(metric(entry.getKey(), entry.getValue(), declared.typeOf(entry.getKey())));
            }
            byte[] bytes = new SparkplugBPayloadEncoder().getBytes(payload.createPayload(), false);
            return messenger.send(topic, bytes, 0, false);
        } catch (GatewayException e) {
            return CompletableFuture.failedFuture(e);
        } catch (IOException | SparkplugInvalidTypeException e) {
            return CompletableFuture.failedFuture(new GatewayException(ErrorKind.INTERNAL, "Command not encoded", e));
        }
    }

    private static Metric metric(String name, Object value, Integer declared) throws SparkplugInvalidTypeException {
        MetricDataType type = declared == null ? inferred(name, value) : MetricDataType.fromInteger(declared);
        return new Metric.MetricBuilder(name, type, converted(name, type, value)).createMetric();
    }

    private static MetricDataType inferred(String name, Object value) {
        if (value instanceof Boolean) {
            return MetricDataType.Boolean;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return MetricDataType.Int64;
        }
        if (value instanceof Number) {
            return MetricDataType.Double;
        }
        if (value instanceof String) {
            return MetricDataType.String;
        }
        throw bad(name, "must be a boolean, number or string");
    }

    /** The value as the Java class Tahu expects for the type, range-checked. */
    private static Object converted(String name, MetricDataType type, Object value) {
        return switch (type) {
            case Boolean -> {
                if (value instanceof Boolean b) {
                    yield b;
                }
                throw bad(name, "must be a boolean");
            }
            case String, Text -> String.valueOf(value);
            case Float -> (float) number(name, value).doubleValue();
            case Double -> number(name, value).doubleValue();
            case Int8 -> (byte) integer(name, value, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case Int16 -> (short) integer(name, value, Short.MIN_VALUE, Short.MAX_VALUE);
            case Int32 -> (int) integer(name, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case Int64 -> integer(name, value, Long.MIN_VALUE, Long.MAX_VALUE);
            case UInt8 -> (short) integer(name, value, 0, 0xFF);
            case UInt16 -> (int) integer(name, value, 0, 0xFFFF);
            case UInt32 -> integer(name, value, 0, 0xFFFF_FFFFL);
            case UInt64 -> BigInteger.valueOf(integer(name, value, 0, Long.MAX_VALUE));
            default -> throw bad(name, "has type " + type + ", which commands cannot write");
        };
    }

    private static Number number(String name, Object value) {
        if (value instanceof Number n) {
            return n;
        }
        throw bad(name, "must be a number");
    }

    private static long integer(String name, Object value, long min, long max) {
        BigDecimal decimal;
        try {
            decimal = new BigDecimal(number(name, value).toString());
        } catch (NumberFormatException e) {
            throw bad(name, "must be a finite number");
        }
        if (decimal.stripTrailingZeros().scale() > 0
                || decimal.compareTo(BigDecimal.valueOf(min)) < 0
                || decimal.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw bad(name, "must be an integer in " + min + ".." + max);
        }
        return decimal.longValueExact();
    }

    private static GatewayException bad(String name, String problem) {
        return new GatewayException(ErrorKind.BAD_REQUEST, "Metric " + name + " " + problem);
    }

    /** The types a birth declared, if known. */
    private record Declared(MetricScope scope) {
        Integer typeOf(String name) {
            return scope == null ? null : scope.typeOf(name);
        }
    }
}
