package dev.mecgw.app.twin;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mecgw.app.coap.CoapTestDevices;
import dev.mecgw.testsupport.kafka.EmbeddedKafkaBroker;
import io.restassured.http.ContentType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;

/** Fixture helpers for downlink tests: the cloud's producer, devices over REST, real MQTT 5 and CoAP/DTLS clients. */
final class DownlinkFixtures implements AutoCloseable {

    static final String ADMIN = "Bearer test-admin-token";
    static final String PASSWORD = "secret-password-1";
    static final byte[] PSK = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    static final Duration WAIT = Duration.ofSeconds(60);

    private final DataSource dataSource;
    private final KafkaProducer<String, String> cloud;
    private final List<AutoCloseable> clients = new java.util.ArrayList<>();

    DownlinkFixtures(DataSource dataSource, EmbeddedKafkaBroker kafka) {
        this.dataSource = dataSource;
        this.cloud = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.cloudBootstrap()),
                new StringSerializer(),
                new StringSerializer());
    }

    /** Registers a device with {@link #PASSWORD} and {@link #PSK}; returns its unique id. */
    static String givenDevice(String type) {
        String id = type + "-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "id",
                        id,
                        "type",
                        type,
                        "credentials",
                        Map.of("password", PASSWORD, "psk", HexFormat.of().formatHex(PSK))))
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        return id;
    }

    /** The cloud sends a message on the site's downlink topic, keyed by device. */
    void cloudSends(String deviceId, String json) throws Exception {
        cloudSends(DownlinkKafkaResource.SITE, deviceId, json);
    }

    /** The cloud sends a message on the downlink topic of {@code siteId}, keyed by device. */
    void cloudSends(String siteId, String deviceId, String json) throws Exception {
        cloud.send(new ProducerRecord<>(siteId + ".downlink", deviceId, json)).get(30, TimeUnit.SECONDS);
    }

    /** A downlink command with a fresh id; {@code expiresAt} may be null. */
    String cloudCommands(String deviceId, String name, String payload, String expiresAt) throws Exception {
        String id = UUID.randomUUID().toString();
        cloudSends(deviceId, commandJson(id, deviceId, name, payload, expiresAt));
        return id;
    }

    static String commandJson(String id, String deviceId, String name, String payload, String expiresAt) {
        return "{\"id\":\"" + id + "\",\"kind\":\"command\",\"deviceId\":\"" + deviceId + "\",\"name\":\"" + name
                + "\",\"payload\":" + payload + (expiresAt == null ? "" : ",\"expiresAt\":\"" + expiresAt + "\"")
                + "}";
    }

    /** A connected MQTT 5 device collecting every message it receives; persistent when {@code expirySeconds > 0}. */
    Mqtt5AsyncClient mqttDevice(
            int port, String deviceId, String clientId, long expirySeconds, List<Mqtt5Publish> received)
            throws Exception {
        Mqtt5AsyncClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, received::add);
        client.connectWith()
                .cleanStart(expirySeconds == 0)
                .sessionExpiryInterval(expirySeconds)
                .simpleAuth()
                .username(deviceId)
                .password(PASSWORD.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send()
                .get(10, TimeUnit.SECONDS);
        clients.add(() -> {
            if (client.getState().isConnected()) {
                client.disconnect().get(5, TimeUnit.SECONDS);
            }
        });
        return client;
    }

    static void subscribeCommands(Mqtt5AsyncClient client, String deviceId) throws Exception {
        client.subscribeWith()
                .topicFilter("devices/" + deviceId + "/commands/#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .get(10, TimeUnit.SECONDS);
    }

    /** A CoAP client on the gateway's DTLS port, authenticating as the device with {@link #PSK}. */
    CoapClient coapDevice(InetSocketAddress dtls, String deviceId, String path) {
        // CoapTestDevices' handshake timers and answer timeout: on a loaded machine a handshake with its PSK lookup
        // in PostgreSQL can take seconds
        Configuration config = CoapTestDevices.dtlsClientConfiguration();
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, 1 << 16);
        Endpoint endpoint = CoapTestDevices.pskEndpoint(deviceId, PSK, config);
        clients.add(endpoint::destroy);
        return CoapTestDevices.dtlsClient(endpoint, dtls, path, CoapTestDevices.CLIENT_TIMEOUT_MS);
    }

    /** The command's status row, {@code outcome} or {@code outcome: reason}; null while absent. */
    String status(String commandId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT outcome || coalesce(': ' || reason, '') FROM mecgw_downlink_applied WHERE id = ?")) {
            ps.setString(1, commandId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    void awaitStatus(String commandId, String expected) {
        await().atMost(WAIT).until(() -> expected.equals(status(commandId)));
    }

    /** One value of a query with one text parameter. */
    String query(String sql, String parameter) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static String text(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        cloud.close();
    }
}
