package dev.mecgw.app.southbound.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.mecgw.app.telemetry.Reading;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.protobuf.SparkplugBProto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 21.3 over the real broker: edge nodes publish with Tahu's payload builder through a HiveMQ MQTT 5 client;
 * the ACL, alias resolution, the rebirth request after a sequence gap, death by will and DCMD are observed from the
 * outside (PUBACK reason codes, readings handed to the ingest, presence, messages the node receives).
 */
class SparkplugHostTest {

    private static final String GROUP = "plant-1";

    private SparkplugBroker broker;
    private Mqtt5BlockingClient node;

    @AfterEach
    void tearDown() throws Exception {
        if (node != null && node.getState().isConnected()) {
            node.disconnect();
        }
        broker.close();
    }

    @Test
    void shouldStoreNamedReadingsWhenDataArrivesByAlias() throws Exception {
        // given a born node whose NBIRTH declares aliases
        givenAConnectedNode("edge-1");
        publish("NBIRTH", null, birth(0, metric("Temperature", 1L, MetricDataType.Double, 20.5)));

        // when NDATA carries the alias only
        publish("NDATA", null, payload(1, aliased(1L, MetricDataType.Double, 21.25)));

        // then the reading is stored under the name the birth gave
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(broker.readings)
                        .extracting(Reading::deviceId, Reading::metric, Reading::value)
                        .contains(
                                org.assertj.core.groups.Tuple.tuple("edge-1", "Temperature", 20.5),
                                org.assertj.core.groups.Tuple.tuple("edge-1", "Temperature", 21.25)));
        assertThat(broker.readings).extracting(Reading::metric).doesNotContain("bdSeq");
        assertThat(broker.devices.online).containsEntry("edge-1", true);
    }

    @Test
    void shouldRefuseNotAuthorizedWhenNodePublishesAsAnotherNodeOrGroup() throws Exception {
        // given node edge-1 of group plant-1 and another registered node edge-2
        givenAConnectedNode("edge-1");
        broker.givenAnEdgeNode("edge-2", GROUP);
        byte[] birth = birth(0, metric("Temperature", 1L, MetricDataType.Double, 20.5));

        // when edge-1 publishes edge-2's birth, and its own birth under another group
        Throwable foreignNode = catchThrowable(() -> publishTo("spBv1.0/" + GROUP + "/NBIRTH/edge-2", birth));
        Throwable foreignGroup = catchThrowable(() -> publishTo("spBv1.0/other-group/NBIRTH/edge-1", birth));

        // then both are refused with "not authorized" and nothing is stored
        assertThat(reasonOf(foreignNode)).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(reasonOf(foreignGroup)).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(broker.readings).isEmpty();
    }

    @Test
    void shouldAskForRebirthWhenSequenceNumberSkips() throws Exception {
        // given a born node listening for its commands
        givenAConnectedNode("edge-1");
        try (Mqtt5BlockingClient.Mqtt5Publishes commands =
                node.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            node.subscribeWith()
                    .topicFilter("spBv1.0/" + GROUP + "/NCMD/edge-1")
                    .send();
            publish("NBIRTH", null, birth(0, metric("Temperature", 1L, MetricDataType.Double, 20.5)));
            publish("NDATA", null, payload(1, aliased(1L, MetricDataType.Double, 21.0)));

            // when seq 2 is lost
            publish("NDATA", null, payload(3, aliased(1L, MetricDataType.Double, 22.0)));

            // then the node receives NCMD Node Control/Rebirth = true
            Optional<Mqtt5Publish> ncmd = commands.receive(10, TimeUnit.SECONDS);
            assertThat(ncmd).isPresent();
            SparkplugBProto.Payload.Metric rebirth = SparkplugBProto.Payload.parseFrom(
                            ncmd.get().getPayloadAsBytes())
                    .getMetrics(0);
            assertThat(rebirth.getName()).isEqualTo("Node Control/Rebirth");
            assertThat(rebirth.getBooleanValue()).isTrue();
        }
    }

    @Test
    void shouldMarkNodeAndDevicesOfflineWhenNodeDiesByItsWill() throws Exception {
        // given a node connected with its NDEATH as will, and a device born under it
        broker = SparkplugBroker.givenABroker();
        broker.givenAnEdgeNode("edge-1", GROUP);
        node = broker.client("edge-1");
        broker.connectAs(node, "edge-1")
                .willPublish()
                .topic("spBv1.0/" + GROUP + "/NDEATH/edge-1")
                .payload(death(7))
                .qos(MqttQos.AT_LEAST_ONCE)
                .applyWillPublish()
                .send();
        publish("NBIRTH", null, birth(0, metric("bdSeq", null, MetricDataType.Int64, 7L)));
        publish("DBIRTH", "pump-3", payload(1, metric("Speed", 2L, MetricDataType.Int32, 1450)));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(broker.devices.online).containsEntry("edge-1:pump-3", true));
        assertThat(broker.devices.byId.get("edge-1:pump-3").labels())
                .containsEntry(SparkplugRegistrations.NODE_LABEL, "edge-1");

        // when the connection ends so that the broker publishes the will
        node.disconnectWith()
                .reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
                .send();

        // then node and device are offline and the host no longer takes commands for the device
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(broker.devices.online)
                        .containsEntry("edge-1", false)
                        .containsEntry("edge-1:pump-3", false));
        assertThat(broker.host.online("edge-1:pump-3")).isFalse();
    }

    @Test
    void shouldSendDcmdWithDeclaredTypeWhenDeviceIsCommanded() throws Exception {
        // given a node with a born device that declared Speed as Int32, listening for device commands
        givenAConnectedNode("edge-1");
        try (Mqtt5BlockingClient.Mqtt5Publishes commands =
                node.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            node.subscribeWith()
                    .topicFilter("spBv1.0/" + GROUP + "/DCMD/edge-1/+")
                    .send();
            publish("NBIRTH", null, birth(0, metric("Temperature", 1L, MetricDataType.Double, 20.5)));
            publish("DBIRTH", "pump-3", payload(1, metric("Speed", 2L, MetricDataType.Int32, 1450)));
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.host.online("edge-1:pump-3"));

            // when the gateway commands the device
            broker.host
                    .command("edge-1:pump-3", Map.of("Speed", 1500))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);

            // then the node receives DCMD for the device with the value as Int32
            Optional<Mqtt5Publish> dcmd = commands.receive(10, TimeUnit.SECONDS);
            assertThat(dcmd).isPresent();
            assertThat(dcmd.get().getTopic().toString()).isEqualTo("spBv1.0/" + GROUP + "/DCMD/edge-1/pump-3");
            SparkplugBProto.Payload.Metric speed = SparkplugBProto.Payload.parseFrom(
                            dcmd.get().getPayloadAsBytes())
                    .getMetrics(0);
            assertThat(speed.getName()).isEqualTo("Speed");
            assertThat(speed.getDatatype()).isEqualTo(MetricDataType.Int32.toIntValue());
            assertThat(speed.getIntValue()).isEqualTo(1500);
        }
    }

    @Test
    void shouldRefusePayloadFormatInvalidAndRecordEventWhenPayloadIsNotSparkplug() throws Exception {
        // given a connected node
        givenAConnectedNode("edge-1");

        // when it publishes bytes that are not a Sparkplug B payload
        Throwable refused =
                catchThrowable(() -> publishTo("spBv1.0/" + GROUP + "/NBIRTH/edge-1", new byte[] {(byte) 0xFF, 1, 2}));

        // then the publish is refused, an event is recorded and the broker keeps serving the node
        assertThat(reasonOf(refused)).isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
        publish("NBIRTH", null, birth(0, metric("Temperature", 1L, MetricDataType.Double, 20.5)));
        await().atMost(Duration.ofSeconds(10)).until(() -> !broker.readings.isEmpty());
        assertThat(broker.flushedEvents()).contains(Map.of("device", "edge-1", "kind", "sparkplug.rejected"));
    }

    @Test
    void shouldRefusePayloadFormatInvalidWhenPayloadNestsGroupsDeeply() throws Exception {
        // given a connected node
        givenAConnectedNode("edge-1");
        // a start-group tag of an unknown field (100, wire type 3) a hundred thousand times: deep recursion in parsers
        byte[] nested = new byte[200_000];
        for (int i = 0; i < nested.length; i += 2) {
            nested[i] = (byte) 0xA3;
            nested[i + 1] = 0x06;
        }

        // when it publishes them as its birth
        Throwable refused = catchThrowable(() -> publishTo("spBv1.0/" + GROUP + "/NBIRTH/edge-1", nested));

        // then the publish is refused and the node's next birth is served
        assertThat(reasonOf(refused)).isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
        publish("NBIRTH", null, birth(0, metric("Temperature", 1L, MetricDataType.Double, 20.5)));
        await().atMost(Duration.ofSeconds(10)).until(() -> !broker.readings.isEmpty());
    }

    @Test
    void shouldShowConnectionStateAndSendDcmdWhenSouthboundCommandWrites() throws Exception {
        // given a node with a born device, listening for device commands, and the device's southbound client
        givenAConnectedNode("edge-1");
        SparkplugProtocol protocol = new SparkplugProtocol(() -> broker.host);
        StateLink link = new StateLink();
        try (Mqtt5BlockingClient.Mqtt5Publishes commands =
                        node.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL);
                dev.mecgw.app.southbound.SouthboundClient client = protocol.open(
                        new dev.mecgw.app.southbound.SouthboundDevice(
                                "edge-1:pump-3",
                                "sparkplug",
                                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                                Map.of()),
                        link)) {
            client.start();
            assertThat(link.states).containsExactly("offline");
            node.subscribeWith()
                    .topicFilter("spBv1.0/" + GROUP + "/DCMD/edge-1/+")
                    .send();
            publish("NBIRTH", null, birth(0, metric("Temperature", 1L, MetricDataType.Double, 20.5)));
            publish("DBIRTH", "pump-3", payload(1, metric("Speed", 2L, MetricDataType.UInt16, 1450)));
            await().atMost(Duration.ofSeconds(10)).until(() -> link.states.contains("online"));

            // when the command API writes a metric, and then a value out of its type's range
            client.execute(new dev.mecgw.app.twin.DeviceCommand(
                            "edge-1:pump-3",
                            "c-1",
                            "write",
                            "{\"Speed\": 1500}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            java.time.Instant.now()))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            Throwable outOfRange = catchThrowable(() -> client.execute(new dev.mecgw.app.twin.DeviceCommand(
                            "edge-1:pump-3",
                            "c-2",
                            "write",
                            "{\"Speed\": 70000}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            java.time.Instant.now()))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS));

            // then the node receives one DCMD, the out-of-range write is refused naming the metric
            Optional<Mqtt5Publish> dcmd = commands.receive(10, TimeUnit.SECONDS);
            assertThat(dcmd).isPresent();
            assertThat(SparkplugBProto.Payload.parseFrom(dcmd.get().getPayloadAsBytes())
                            .getMetrics(0)
                            .getIntValue())
                    .isEqualTo(1500);
            assertThat(outOfRange).hasRootCauseMessage("Metric Speed must be an integer in 0..65535");
        }
    }

    /** The connection states a southbound client reports. */
    private static final class StateLink implements dev.mecgw.app.southbound.SouthboundLink {
        final List<String> states = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public String deviceId() {
            return "edge-1:pump-3";
        }

        @Override
        public java.util.concurrent.CompletionStage<Void> submit(List<Reading> readings) {
            throw new UnsupportedOperationException("Sparkplug readings go through the broker route");
        }

        @Override
        public void online() {
            states.add("online");
        }

        @Override
        public void offline(String error) {
            states.add("offline");
        }

        @Override
        public void event(String kind, String severity, Map<String, ?> payload) {
            // Not recorded.
        }

        @Override
        public java.util.concurrent.Executor workers() {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.concurrent.ScheduledExecutorService timers() {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.mecgw.app.southbound.Backoff backoff() {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.time.Clock clock() {
            return java.time.Clock.systemUTC();
        }
    }

    private void givenAConnectedNode(String id) throws Exception {
        broker = SparkplugBroker.givenABroker();
        broker.givenAnEdgeNode(id, GROUP);
        node = broker.client(id);
        broker.connectAs(node, id).send();
    }

    private void publish(String type, String device, byte[] payload) {
        String nodeId = node.getConfig().getClientIdentifier().get().toString();
        publishTo("spBv1.0/" + GROUP + "/" + type + "/" + nodeId + (device == null ? "" : "/" + device), payload);
    }

    /** QoS 1 so that the PUBACK reports the route's verdict after the readings were handed over. */
    private void publishTo(String topic, byte[] payload) {
        node.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload)
                .send();
    }

    private static Mqtt5PubAckReasonCode reasonOf(Throwable refusal) {
        assertThat(refusal).isInstanceOf(Mqtt5PubAckException.class);
        return ((Mqtt5PubAckException) refusal).getMqttMessage().getReasonCode();
    }

    static byte[] birth(long seq, Metric... metrics) throws Exception {
        return payload(seq, metrics);
    }

    static byte[] death(long bdSeq) throws Exception {
        SparkplugBPayload payload = new SparkplugBPayload.SparkplugBPayloadBuilder()
                .setTimestamp(new Date())
                .addMetric(metric("bdSeq", null, MetricDataType.Int64, bdSeq))
                .createPayload();
        return new SparkplugBPayloadEncoder().getBytes(payload, false);
    }

    static byte[] payload(long seq, Metric... metrics) throws Exception {
        SparkplugBPayload payload = new SparkplugBPayload.SparkplugBPayloadBuilder(seq)
                .setTimestamp(new Date())
                .addMetrics(List.of(metrics))
                .createPayload();
        return new SparkplugBPayloadEncoder().getBytes(payload, false);
    }

    static Metric metric(String name, Long alias, MetricDataType type, Object value) throws Exception {
        Metric.MetricBuilder builder = new Metric.MetricBuilder(name, type, value);
        return alias == null ? builder.createMetric() : builder.alias(alias).createMetric();
    }

    static Metric aliased(long alias, MetricDataType type, Object value) throws Exception {
        return new Metric.MetricBuilder(alias, type, value).createMetric();
    }
}
