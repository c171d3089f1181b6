package dev.mecgw.app.mqtt.routing;

import dev.mecgw.app.acl.DeviceTopic;
import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.ingest.RawMessage;
import dev.mecgw.app.ingest.RawMessageLog;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.ingest.TelemetryPayloadParser;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.mqtt.session.BrokerMetrics;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.telemetry.Reading;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * {@code devices/{id}/telemetry}: parses the payload and hands the readings to the durable ingest; the
 * publisher is acknowledged only once the batch holding them is committed. The MQTT 5 Content Type
 * {@code application/senml+cbor} selects SenML CBOR; otherwise the payload is JSON or SenML JSON. Bad payloads are
 * counted, recorded as one event per device and minute (issue 14 item 10) and refused with "payload format invalid".
 */
public class TelemetryRoute implements PublishRoute {

    private static final DeviceTopic TOPIC = new DeviceTopic("/telemetry");

    private final TelemetryPayloadParser parser;
    private final TelemetryIngest ingest;
    private final RejectedPayloadEvents rejections;
    private final Context context;
    private final BrokerMetrics metrics;
    private volatile RawMessageLog raw = RawMessageLog.NONE;

    /** Parses device telemetry and hands it to ingest; refusals are counted and summed into events per device ({@link RejectedPayloadEvents}). */
    public TelemetryRoute(
            TelemetryPayloadParser parser,
            TelemetryIngest ingest,
            RejectedPayloadEvents rejections,
            Context context,
            BrokerMetrics metrics) {
        this.parser = parser;
        this.ingest = ingest;
        this.rejections = rejections;
        this.context = context;
        this.metrics = metrics;
    }

    /** Keeps each telemetry publish and its outcome for the console (issue 19); call before the broker starts. */
    public void recordTo(RawMessageLog log) {
        this.raw = log;
    }

    @Override
    public boolean handles(String topic) {
        return TOPIC.matches(topic);
    }

    @Override
    public Future<Void> handle(Principal publisher, BrokerMessage message) {
        String deviceId = TOPIC.deviceId(message.topic());
        Instant receivedAt = Instant.now();
        List<Reading> readings;
        try {
            readings = parser.parse(deviceId, contentType(message), message.payload(), receivedAt);
        } catch (GatewayException e) {
            metrics.rejectedPayload();
            rejections.rejected(deviceId, "telemetry.rejected", "mqtt", e.getMessage(), message.payload().length);
            record(deviceId, message, receivedAt, e);
            return Future.failedFuture(e);
        }
        return Future.fromCompletionStage(ingest.submit(readings), context)
                .andThen(result -> record(deviceId, message, receivedAt, result.cause()));
    }

    /** O(1) append before the PUBACK (issue 19); the reason is the client-safe message the reason code carries. */
    private void record(String deviceId, BrokerMessage message, Instant receivedAt, Throwable failure) {
        String rejection = failure == null
                ? null
                : failure instanceof GatewayException g ? g.getMessage() : "not stored: internal error";
        raw.record(new RawMessage(
                deviceId, "mqtt", message.topic(), "QoS " + message.qos(), message.payload(), receivedAt, rejection));
    }

    /** The MQTT 5 Content Type (section 3.3.2.3.9), e.g. application/senml+cbor; null on MQTT 3.1.1. */
    private static String contentType(BrokerMessage message) {
        MqttProperties.MqttProperty<?> property =
                message.properties().getProperty(MqttProperties.MqttPropertyType.CONTENT_TYPE.value());
        return property == null ? null : String.valueOf(property.value());
    }
}
