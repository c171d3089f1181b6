package dev.mecgw.app.twin;

import static dev.mecgw.app.twin.DownlinkFixtures.WAIT;
import static dev.mecgw.app.twin.DownlinkFixtures.commandJson;
import static dev.mecgw.app.twin.DownlinkFixtures.givenDevice;
import static dev.mecgw.app.twin.DownlinkFixtures.subscribeCommands;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mecgw.app.mqtt.MqttBroker;
import dev.mecgw.sync.downlink.DownlinkListener;
import dev.mecgw.sync.downlink.KafkaDownlinkConsumer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A command read back from the command table by the sweep reaches the device with the same payload bytes as one handed
 * at once (review of CloudGatewayIT, 2026-12-06: the sweep used to send PostgreSQL's jsonb text, {@code {"a": 2, "b":
 * 1}}). Real PostgreSQL, in-process Kafka, a real MQTT 5 device; docs/commands.md.
 */
@QuarkusTest
@TestProfile(DownlinkCloudProfile.class)
class CommandPayloadBytesTest {

    /** Spacing and key order that jsonb would not keep. */
    private static final String PAYLOAD = "{\"b\":1,  \"a\":2}";

    @Inject
    DataSource dataSource;

    @Inject
    MqttBroker mqtt;

    @Inject
    CommandDispatcher commands;

    @Test
    void shouldSendTheBytesAsIssuedWhenTheSweepHandsAStoredEdgeCommand() throws Exception {
        try (DownlinkFixtures fixtures = new DownlinkFixtures(dataSource, DownlinkKafkaResource.kafka)) {
            // given a device subscribed to its commands
            String device = givenDevice("pump");
            List<Mqtt5Publish> received = givenSubscribedDevice(fixtures, device);
            // when one command is handed at once, and one is only stored, as issue() stores it (a crash before the
            // handoff), so that the sweep hands it from the command table
            commands.issue(edgeCommand(device, "direct")).toCompletableFuture().get(30, TimeUnit.SECONDS);
            new PostgresCommandLedger(dataSource).storeLocal(edgeCommand(device, "swept"));
            // then both carry the payload byte for byte
            assertThat(awaitPayload(received, device, "direct")).isEqualTo(PAYLOAD);
            assertThat(awaitPayload(received, device, "swept")).isEqualTo(PAYLOAD);
        }
    }

    @Test
    void shouldSendTheSameBytesWhetherACloudCommandIsHandedAtOnceOrByTheSweep() throws Exception {
        String storeOnlySite = "store-only-" + UUID.randomUUID().toString().substring(0, 8);
        try (DownlinkFixtures fixtures = new DownlinkFixtures(dataSource, DownlinkKafkaResource.kafka);
                KafkaDownlinkConsumer storeOnly = KafkaDownlinkConsumer.create(
                        DownlinkKafkaResource.kafka.edgeBootstrap(),
                        storeOnlySite,
                        Map.of(),
                        dataSource,
                        DownlinkListener.NONE)) {
            // given a device subscribed to its commands
            String device = givenDevice("valve");
            List<Mqtt5Publish> received = givenSubscribedDevice(fixtures, device);
            // when the cloud sends the same payload on the gateway's downlink, handed at once, and to a consumer of
            // the same store that tells no one (a crash after the commit), so that the sweep hands it from the table
            String direct = fixtures.cloudCommands(device, "direct", PAYLOAD, null);
            String swept = UUID.randomUUID().toString();
            fixtures.cloudSends(storeOnlySite, device, commandJson(swept, device, "swept", PAYLOAD, null));
            new Thread(storeOnly, "store-only-downlink").start();
            // then both arrive with the same bytes, in the cloud's key order (the downlink decoder writes the
            // payload compactly)
            String handedAtOnce = awaitPayload(received, device, "direct");
            assertThat(awaitPayload(received, device, "swept")).isEqualTo(handedAtOnce);
            assertThat(handedAtOnce).isEqualTo("{\"b\":1,\"a\":2}");
            fixtures.awaitStatus(swept, "delivered");
            // when the gateway's own handoff comes late for commands already handed
            commands.dispatch(swept);
            commands.dispatch(direct);
            String marker = fixtures.cloudCommands(device, "marker", "{}", null);
            fixtures.awaitStatus(marker, "delivered");
            // then neither is handed twice
            assertThat(received)
                    .extracting(p -> p.getTopic().toString())
                    .containsExactlyInAnyOrder(
                            "devices/" + device + "/commands/direct",
                            "devices/" + device + "/commands/swept",
                            "devices/" + device + "/commands/marker");
        }
    }

    private List<Mqtt5Publish> givenSubscribedDevice(DownlinkFixtures fixtures, String device) throws Exception {
        List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient client = fixtures.mqttDevice(mqtt.port(), device, device + "-b", 0, received);
        subscribeCommands(client, device);
        return received;
    }

    private static DeviceCommand edgeCommand(String device, String name) {
        return new DeviceCommand(
                device, UUID.randomUUID().toString(), name, PAYLOAD.getBytes(StandardCharsets.UTF_8), Instant.now());
    }

    /** @return the payload, as UTF-8 text, of the command {@code name} the device received */
    private static String awaitPayload(List<Mqtt5Publish> received, String device, String name) {
        String topic = "devices/" + device + "/commands/" + name;
        await().atMost(WAIT)
                .until(() ->
                        received.stream().anyMatch(p -> p.getTopic().toString().equals(topic)));
        return received.stream()
                .filter(p -> p.getTopic().toString().equals(topic))
                .findFirst()
                .map(DownlinkFixtures::text)
                .orElseThrow();
    }
}
