package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.mecgw.testsupport.net.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, graceful shutdown order, on the packaged gateway: it is stopped with SIGTERM while a device publishes
 * QoS 1 readings and after it counted a rejected payload, then started again on the same data directory. Whatever
 * the gateway acknowledged or counted before it stopped must be in its database then: the front-ends stop before the
 * ingest drains, and every writer (the rejected-payload aggregates among them) flushes before the store closes
 * ({@link LifecyclePhase}). Before the rejected-payload aggregator was closed in its phase, its last flush ran in a
 * CDI disposer after the embedded PostgreSQL had stopped, and the minute's count was lost. The gateway runs with an
 * hour's periodic flush of rejected payloads ({@link #NO_PERIODIC_FLUSH}): otherwise a minute ending between the
 * rejection and the SIGTERM let the 10 s flush write the row, and the test passed without the shutdown flush (review 9,
 * 2.1).
 */
class LifecyclePhaseIT {

    private static final String TOKEN = "lifecycle-it-token";
    private static final String DEVICE = "shutdown-1";
    private static final String PASSWORD = "shutdown-pass";
    /** Publishes unanswered at once: enough that some are in flight whenever the front-end stops. */
    private static final int IN_FLIGHT = 16;
    /** Only the shutdown (the WRITERS phase's close) can write the rejected-payload aggregate within the test. */
    private static final List<String> NO_PERIODIC_FLUSH = List.of("-Dmecgw.events.rejected-flush-interval=1h");

    private static GatewayProcess gateway;
    private static final Set<Long> acknowledged = new ConcurrentSkipListSet<>();
    private static final AtomicReference<Throwable> publishingEnded = new AtomicReference<>();

    @BeforeAll
    static void stopTheGatewayWhileADevicePublishesAndStartItAgain() throws Exception {
        Path dataDir =
                Path.of("target", "it-data", "shutdown-" + UUID.randomUUID()).toAbsolutePath();
        int mqttPort = FreePorts.tcp();
        gateway = new GatewayProcess(dataDir, GatewayProcess.mqttEnvironment(TOKEN, mqttPort));
        gateway.start(NO_PERIODIC_FLUSH);
        // given: a device whose malformed reading was refused and counted (not written yet: no periodic flush runs)
        String body =
                "{\"id\":\"" + DEVICE + "\",\"type\":\"sensor\",\"credentials\":{\"password\":\"" + PASSWORD + "\"}}";
        assertThat(gateway.post("/api/v1/devices", TOKEN, body).statusCode()).isEqualTo(201);
        Mqtt5AsyncClient device = connectedDevice(mqttPort);
        assertThat(publish(device, "not json"))
                .failsWithin(Duration.ofSeconds(30))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        Mqtt5PubAckException.class,
                        refused -> assertThat(refused.getMqttMessage().getReasonCode())
                                .isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID));

        // and: the device publishing QoS 1 readings without pause, some always unanswered
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> publishUntilRefused(device));
        await("readings acknowledged before the stop")
                .atMost(Duration.ofSeconds(30))
                .until(() -> acknowledged.size() >= 50);

        // when: the gateway is stopped in order (SIGTERM) and started again on the same data directory
        assertThat(gateway.stop()).isIn(0, 143);
        publishing.get(30, TimeUnit.SECONDS);
        gateway.start(NO_PERIODIC_FLUSH);
    }

    @AfterAll
    static void stopTheGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void shouldRecordTheCountedRejectionWhenStoppedGracefully() throws Exception {
        // then: the minute's aggregate was written at shutdown, before the store closed
        assertThat(rejectedCount()).isEqualTo(1);
    }

    @Test
    void shouldHaveStoredEveryAcknowledgedReadingWhenStoppedWhilePublishing() throws Exception {
        // then: the device was still publishing when the gateway went away, and nothing it got a PUBACK for is lost
        assertThat(publishingEnded.get())
                .as("publishing ended by the gateway's stop")
                .isNotNull();
        assertThat(storedSequenceNumbers()).containsAll(acknowledged);
    }

    private static Mqtt5AsyncClient connectedDevice(int mqttPort) throws Exception {
        Mqtt5AsyncClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(DEVICE)
                .serverHost("127.0.0.1")
                .serverPort(mqttPort)
                .buildAsync();
        client.connectWith()
                .simpleAuth()
                .username(DEVICE)
                .password(PASSWORD.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send()
                .get(30, TimeUnit.SECONDS);
        return client;
    }

    /**
     * Publishes readings numbered 0, 1, 2, … with at most {@link #IN_FLIGHT} unanswered, recording each one
     * acknowledged with success, until a publish fails other than by a refusing PUBACK (the connection is gone).
     */
    private static void publishUntilRefused(Mqtt5AsyncClient device) {
        Semaphore window = new Semaphore(IN_FLIGHT);
        long base = System.currentTimeMillis() - 60_000;
        for (long seq = 0; publishingEnded.get() == null; seq++) {
            window.acquireUninterruptibly();
            long sent = seq;
            publish(device, "{\"seq\":" + sent + ",\"ts\":" + (base + sent) + "}")
                    .whenComplete((result, failure) -> {
                        Throwable error = failure instanceof CompletionException wrapped ? wrapped.getCause() : failure;
                        if (error == null) {
                            acknowledged.add(sent);
                        } else if (!(error instanceof Mqtt5PubAckException)) {
                            publishingEnded.compareAndSet(null, error);
                        }
                        window.release();
                    });
        }
    }

    private static CompletableFuture<Mqtt5PublishResult> publish(Mqtt5AsyncClient device, String payload) {
        return device.publishWith()
                .topic("devices/" + DEVICE + "/telemetry")
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
    }

    /** The rejected payloads counted in the device's {@code telemetry.rejected} events. */
    private static long rejectedCount() throws Exception {
        try (Connection c = gateway.database();
                PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum((payload->>'count')::bigint), 0)"
                        + " FROM events WHERE device_id = ? AND kind = 'telemetry.rejected'")) {
            ps.setString(1, DEVICE);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Set<Long> storedSequenceNumbers() throws Exception {
        try (Connection c = gateway.database();
                PreparedStatement ps =
                        c.prepareStatement("SELECT value FROM telemetry WHERE device_id = ? AND metric = 'seq'")) {
            ps.setString(1, DEVICE);
            try (ResultSet rs = ps.executeQuery()) {
                Set<Long> stored = new HashSet<>();
                while (rs.next()) {
                    stored.add((long) rs.getDouble(1));
                }
                return stored;
            }
        }
    }
}
