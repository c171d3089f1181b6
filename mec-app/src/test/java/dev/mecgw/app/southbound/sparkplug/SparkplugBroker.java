package dev.mecgw.app.southbound.sparkplug;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import dev.mecgw.app.acl.AclRule;
import dev.mecgw.app.acl.AclRuleRequest;
import dev.mecgw.app.acl.AclRuleStore;
import dev.mecgw.app.acl.RuleBasedAccessPolicy;
import dev.mecgw.app.acl.SparkplugTopic;
import dev.mecgw.app.credentials.ClientCertificates;
import dev.mecgw.app.credentials.VerifiedPasswordCache;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.mqtt.MemorySessionStore;
import dev.mecgw.app.mqtt.MqttBroker;
import dev.mecgw.app.mqtt.MqttConfig;
import dev.mecgw.app.mqtt.MqttDeviceMessenger;
import dev.mecgw.app.mqtt.StandaloneBroker;
import dev.mecgw.app.registry.MemoryDeviceRegistry;
import dev.mecgw.app.telemetry.Reading;
import dev.mecgw.app.twin.CommandReceipts;
import dev.mecgw.app.twin.DeviceMessenger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's real MQTT broker on a free loopback port with the Sparkplug host in its routing, without Quarkus:
 * devices authenticate with passwords against an in-memory registry, the site's access policy has no extra rules,
 * readings are kept in memory as the ingest would receive them, events are kept in memory.
 */
final class SparkplugBroker implements AutoCloseable {

    static final String PASSWORD = "sparkplug-password-1";

    final MemoryDeviceRegistry devices = new MemoryDeviceRegistry(PASSWORD);
    final List<Reading> readings = new CopyOnWriteArrayList<>();
    final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    final SparkplugHost host;
    private final RejectedPayloadEvents rejections;
    private final MqttBroker broker;
    private final Vertx vertx = Vertx.vertx();

    private SparkplugBroker(Map<String, String> overrides) throws Exception {
        Map<String, String> props = new HashMap<>(
                Map.of("mecgw.mqtt.host", "127.0.0.1", "mecgw.mqtt.port", "0", "mecgw.mqtt.allow-anonymous", "false"));
        props.putAll(overrides);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(MqttConfig.class)
                .withMapping(SparkplugConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(props, "test", 500))
                .build();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RuleBasedAccessPolicy policy = new RuleBasedAccessPolicy(new NoRules());
        policy.reload();
        EventLog log = (device, kind, severity, payload) -> events.add(Map.of("device", device, "kind", kind));
        rejections = new RejectedPayloadEvents(log, Clock.systemUTC(), 100, 100, meters);
        TelemetryIngest ingest = batch -> {
            readings.addAll(batch);
            return CompletableFuture.completedFuture(null);
        };
        LateMessenger messenger = new LateMessenger();
        host = new SparkplugHost(
                config.getConfigMapping(SparkplugConfig.class), devices, ingest, rejections, messenger);
        broker = new MqttBroker(
                vertx,
                config.getConfigMapping(MqttConfig.class),
                new MqttBroker.Dependencies(
                        devices,
                        devices.hasher,
                        ClientCertificates.fingerprintsOnly(fingerprint -> Optional.empty()),
                        policy,
                        ingest,
                        null,
                        rejections,
                        null,
                        new StandaloneBroker.NoRetained(),
                        new MemorySessionStore(),
                        null,
                        (peer, device) -> CompletableFuture.completedFuture(Optional.empty()),
                        meters,
                        CommandReceipts.NONE,
                        new VerifiedPasswordCache(System::nanoTime)));
        messenger.target = new MqttDeviceMessenger(broker);
        broker.addRoute(host.route(), host::onWill);
        broker.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static SparkplugBroker givenABroker() throws Exception {
        return new SparkplugBroker(Map.of());
    }

    static SparkplugBroker givenABroker(Map<String, String> overrides) throws Exception {
        return new SparkplugBroker(overrides);
    }

    int port() {
        return broker.port();
    }

    /** Registers an edge node for a group, with the test password. */
    String givenAnEdgeNode(String id, String group) {
        return devices.add(id, SparkplugTopic.NODE_DEVICE_TYPE, Map.of(SparkplugRegistrations.GROUP_LABEL, group));
    }

    /** An MQTT 5 client of a registered device, not yet connected. */
    Mqtt5BlockingClient client(String deviceId) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(deviceId)
                .serverHost("127.0.0.1")
                .serverPort(port())
                .buildBlocking();
    }

    /** The connect of a registered device with its password. */
    Mqtt5ConnectBuilder.Send<?> connectAs(Mqtt5BlockingClient client, String deviceId) {
        return client.connectWith()
                .simpleAuth()
                .username(deviceId)
                .password(PASSWORD.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .applySimpleAuth();
    }

    /** Writes the events counted so far (closes the event writer). */
    List<Map<String, Object>> flushedEvents() {
        rejections.close();
        return events;
    }

    @Override
    public void close() throws Exception {
        broker.stop();
        host.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The broker exists only after the host that needs its publish path. */
    private static final class LateMessenger implements DeviceMessenger {
        volatile DeviceMessenger target;

        @Override
        public CompletionStage<Void> send(String topic, byte[] payload, int qos, boolean retain) {
            return target.send(topic, payload, qos, retain);
        }

        @Override
        public CompletionStage<Void> sendCommand(dev.mecgw.app.twin.DeviceCommand command) {
            return target.sendCommand(command);
        }
    }

    private static final class NoRules implements AclRuleStore {
        @Override
        public List<AclRule> list() {
            return List.of();
        }

        @Override
        public AclRule create(AclRuleRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(long id) {
            throw new UnsupportedOperationException();
        }
    }
}
