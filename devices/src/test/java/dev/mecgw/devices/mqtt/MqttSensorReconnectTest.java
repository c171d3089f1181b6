package dev.mecgw.devices.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.devices.SensorFeed;
import dev.mecgw.devices.signal.Fault;
import dev.mecgw.devices.signal.SensorSignal;
import dev.mecgw.testsupport.net.FreePorts;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 18 (kill -9 fleet test): a sensor outlasts its broker's restart as a real device does. A real MQTT broker on
 * a port chosen per test, which (as the gateway does) refuses a CONNECT without the device's user name and password,
 * is stopped (its connections closed) and started again on the same port; the sensor connects again with its
 * credentials and its persistent session, subscribes again and its readings resume. Before the fix the HiveMQ
 * client's automatic reconnect sent a CONNECT without the credentials given on the first {@code connectWith()}: the
 * restarted gateway answered "bad user name or password" for good.
 */
class MqttSensorReconnectTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Vertx vertx = Vertx.vertx();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<MqttEndpoint> connections = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> readings = new ConcurrentHashMap<>();
    private final AtomicInteger subscribes = new AtomicInteger();
    private final AtomicInteger connects = new AtomicInteger();
    /** Per life of the broker: whether each accepted CONNECT asked for a session that outlives it. */
    private final Map<String, List<Boolean>> persistent = new ConcurrentHashMap<>();

    private final AtomicInteger refused = new AtomicInteger();
    private int port;
    private MqttServer broker;
    private MqttSensor sensor;

    @BeforeEach
    void givenAFreePort() throws IOException {
        // the broker binds it only after the sensor has been refused: a port from below the ephemeral range, which
        // no outgoing connection of a loaded machine can take meanwhile (FreePorts)
        port = FreePorts.tcp();
    }

    @AfterEach
    void stop() throws Exception {
        if (sensor != null) {
            sensor.close();
        }
        scheduler.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(MqttSensor.Version.class)
    void shouldSendReadingsAgainWhenItsBrokerRestartsOnTheSamePort(MqttSensor.Version version) throws Exception {
        // Given a sensor sending to a running broker
        startBroker("first");
        sensor = givenASensor(version);
        sensor.start();
        await().atMost(WAIT).until(() -> count("first") >= 3 && subscribes.get() >= 1);

        // When the broker goes away (every connection dropped, the port closed) and comes back on the same port
        stopBroker();
        await().atMost(WAIT).until(() -> !sensor.counters().online.get());
        startBroker("second");

        // Then the sensor connects again, as itself and to its persistent session, subscribes to its commands
        // again, and its readings resume
        long acknowledged = sensor.counters().acknowledged.get();
        await().atMost(WAIT).until(() -> count("second") >= 3);
        await().atMost(WAIT).until(() -> sensor.counters().acknowledged.get() >= acknowledged + 3);
        assertThat(subscribes.get()).isGreaterThanOrEqualTo(2);
        assertThat(sensor.counters().online.get()).isTrue();
        assertThat(refused.get()).as("CONNECTs refused for bad credentials").isZero();
        assertThat(persistent.get("second")).isNotEmpty().containsOnly(true);
    }

    private MqttSensor givenASensor(MqttSensor.Version version) {
        SensorSignal signal = new SensorSignal(21.0, 2.0, 0.2, Duration.ofHours(24), 0, Fault.NONE, 1);
        SensorFeed feed = new SensorFeed("temperature", signal, Duration.ofMillis(100), scheduler, Clock.systemUTC());
        return new MqttSensor(
                new dev.mecgw.devices.mqtt.MqttEndpoint("127.0.0.1", port), "sensor-1", "secret", version, feed);
    }

    private int count(String life) {
        return readings.computeIfAbsent(life, l -> new AtomicInteger()).get();
    }

    private void startBroker(String life) throws Exception {
        MqttServer server = MqttServer.create(
                vertx, new MqttServerOptions().setHost("127.0.0.1").setPort(port));
        server.endpointHandler(endpoint -> {
            if (!hasCredentials(endpoint)) {
                refused.incrementAndGet();
                endpoint.reject(
                        endpoint.protocolVersion() == 5
                                ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                                : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
                return;
            }
            persistent.computeIfAbsent(life, l -> new CopyOnWriteArrayList<>()).add(asksForPersistentSession(endpoint));
            connections.add(endpoint);
            connects.incrementAndGet();
            endpoint.subscribeHandler(subscribe -> {
                subscribes.incrementAndGet();
                endpoint.subscribeAcknowledge(
                        subscribe.messageId(),
                        subscribe.topicSubscriptions().stream()
                                .map(s -> MqttQoS.AT_LEAST_ONCE)
                                .toList());
            });
            endpoint.publishHandler(publish -> {
                if (publish.topicName().endsWith("/telemetry")) {
                    readings.computeIfAbsent(life, l -> new AtomicInteger()).incrementAndGet();
                }
                if (publish.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                    endpoint.publishAcknowledge(publish.messageId());
                }
            });
            // The gateway restores persistent sessions from PostgreSQL: the second life has the session.
            endpoint.accept(life.equals("second") && !endpoint.isCleanSession());
        });
        broker = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static boolean hasCredentials(MqttEndpoint endpoint) {
        return endpoint.auth() != null
                && "sensor-1".equals(endpoint.auth().getUsername())
                && "secret".equals(endpoint.auth().getPassword());
    }

    /** MQTT 3.1.1: clean session 0; MQTT 5: clean start 0 and a session expiry interval above 0. */
    private static boolean asksForPersistentSession(MqttEndpoint endpoint) {
        if (endpoint.isCleanSession()) {
            return false;
        }
        if (endpoint.protocolVersion() != 5) {
            return true;
        }
        MqttProperties.MqttProperty<?> expiry = endpoint.connectProperties()
                .getProperty(MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
        return expiry != null && (Integer) expiry.value() != 0;
    }

    private void stopBroker() throws Exception {
        broker.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        for (MqttEndpoint connection : connections) {
            vertx.runOnContext(v -> {
                if (connection.isConnected()) {
                    connection.close();
                }
            });
        }
        connections.clear();
    }
}
