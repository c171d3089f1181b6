package dev.mecgw.app.ingest.app;

import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.mecgw.app.mqtt.MqttBroker;
import dev.mecgw.app.mqtt.MqttFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The telemetry channel end to end from a real MQTT 5 client: what the sink refuses reaches the device as a reason
 * code, and what it acknowledged is stored.
 */
@QuarkusTest
@TestProfile(TinyIngestQueueProfile.class)
class TelemetryChannelSinkTest {

    private static final int MESSAGES = 2000;
    private static final String PASSWORD = "burst-password-1";

    @Inject
    MqttBroker broker;

    @Inject
    DataSource dataSource;

    @Test
    void shouldRefuseWithQuotaExceededWhenTheWriterIsFullAndStoreEveryAcknowledgedReading() throws Exception {
        // given a device publishing a burst of QoS 1 readings far faster than one-at-a-time commits
        String device = MqttFixtures.givenDevice("burst", "sensor", PASSWORD);
        Mqtt5AsyncClient client = MqttFixtures.connect(
                        MqttFixtures.mqtt5(broker.port(), device + "-burst"), device, PASSWORD)
                .toAsync();
        List<CompletableFuture<Mqtt5PubAckReasonCode>> acks = new ArrayList<>();

        // when every reading is published without waiting
        for (int i = 0; i < MESSAGES; i++) {
            acks.add(client.publishWith()
                    .topic("devices/" + device + "/telemetry")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(bytes("{\"ts\":" + (1_700_000_000_000L + i) + ",\"seq\":" + i + "}"))
                    .send()
                    .thenApply(TelemetryChannelSinkTest::code)
                    .exceptionally(TelemetryChannelSinkTest::codeOfFailure));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        client.disconnect().get(10, TimeUnit.SECONDS);

        // then the overflow is refused with "quota exceeded", nothing else fails, and every acknowledged reading
        // (and only those) is stored
        Set<Integer> acknowledged = new HashSet<>();
        int refused = 0;
        for (int i = 0; i < MESSAGES; i++) {
            Mqtt5PubAckReasonCode code = acks.get(i).join();
            if (code == Mqtt5PubAckReasonCode.SUCCESS) {
                acknowledged.add(i);
            } else {
                assertThat(code).isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
                refused++;
            }
        }
        assertThat(refused).isPositive();
        assertThat(acknowledged).isNotEmpty();
        assertThat(storedSequenceNumbers(device)).isEqualTo(acknowledged);
    }

    private static Mqtt5PubAckReasonCode code(Mqtt5PublishResult result) {
        return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
    }

    private static Mqtt5PubAckReasonCode codeOfFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        if (cause instanceof Mqtt5PubAckException refused) {
            return refused.getMqttMessage().getReasonCode();
        }
        throw new AssertionError("publish failed without a PUBACK", cause);
    }

    private Set<Integer> storedSequenceNumbers(String device) throws SQLException {
        Set<Integer> stored = new HashSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q =
                        c.prepareStatement("SELECT value FROM telemetry WHERE device_id = ? AND metric = 'seq'")) {
            q.setString(1, device);
            try (ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                    stored.add((int) rows.getDouble(1));
                }
            }
        }
        return stored;
    }
}
