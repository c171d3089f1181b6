package dev.mecgw.app.mqtt.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.twin.DeviceCommand;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The MQTT shape of a device command and of its response topic (issue 17, docs/commands.md). */
class CommandMessagesTest {

    @Test
    void shouldCarryIdResponseTopicAndExpiryWhenCommandIsBuilt() {
        // given
        Instant expiry = Instant.parse("2026-12-05T16:00:00Z");
        DeviceCommand command = new DeviceCommand(
                "pump-1", "c-1", "reboot", "{\"delay\":5}".getBytes(StandardCharsets.UTF_8), Instant.now(), expiry);
        // when
        BrokerMessage message = CommandMessages.of(command);
        // then
        assertThat(message.topic()).isEqualTo("devices/pump-1/commands/reboot");
        assertThat(message.qos()).isEqualTo(1);
        assertThat(message.expiresAtMillis()).isEqualTo(expiry.toEpochMilli());
        MqttProperties properties = message.properties();
        assertThat(properties
                        .getProperty(MqttPropertyType.RESPONSE_TOPIC.value())
                        .value())
                .isEqualTo("devices/pump-1/commands/reboot/response");
        assertThat(CommandMessages.deviceAndId(message)).contains(new CommandMessages.Ref("pump-1", "c-1"));
    }

    @Test
    void shouldNotTakeDevicePublishesForCommandsWhenTheyCarryCorrelationData() {
        // given a client's publish on a command topic (an ACL rule may allow it)
        BrokerMessage relayed = new BrokerMessage(
                "devices/pump-1/commands/reboot",
                new byte[0],
                1,
                false,
                CommandMessages.of(new DeviceCommand("pump-1", "c-9", "reboot", new byte[0], Instant.now()))
                        .properties(),
                0,
                "some-client");
        // then its PUBACK by a subscriber is no delivery
        assertThat(CommandMessages.deviceAndId(relayed)).isEmpty();
        assertThat(CommandMessages.deviceAndId(
                        BrokerMessage.fromGateway("devices/pump-1/commands/x", new byte[0], 1, false)))
                .isEmpty();
    }

    @Test
    void shouldParseResponseTopicWhenItHasOneDeviceAndOneNameLevel() {
        assertThat(CommandMessages.responseTopic("devices/pump-1/commands/reboot/response"))
                .contains(new CommandMessages.Ref("pump-1", "reboot"));
        assertThat(CommandMessages.responseTopic("devices/pump-1/commands/reboot"))
                .isEmpty();
        assertThat(CommandMessages.responseTopic("devices/pump-1/commands/a/b/response"))
                .isEmpty();
        assertThat(CommandMessages.responseTopic("devices//commands/reboot/response"))
                .isEmpty();
        assertThat(CommandMessages.responseTopic("devices/pump-1/events/x/response"))
                .isEmpty();
    }
}
