package dev.mecgw.app.mqtt.routing;

import dev.mecgw.app.acl.DeviceTopic;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.twin.DeviceCommand;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The MQTT shape of a device command (docs/commands.md): topic {@code devices/{id}/commands/{name}}, the arguments as
 * payload, and for MQTT 5 the command id as correlation data and user property {@code command-id}, the response topic
 * {@code devices/{id}/commands/{name}/response}, content type {@code application/json}.
 */
public final class CommandMessages {

    static final String COMMAND_ID = BrokerMessage.COMMAND_ID;

    private CommandMessages() {}

    /** Builds the message the broker delivers for a command, so that MQTT and the docs agree on one shape. */
    public static BrokerMessage of(DeviceCommand command) {
        String topic = DeviceTopic.command(command.deviceId(), command.name());
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.BinaryProperty(
                MqttPropertyType.CORRELATION_DATA.value(), command.commandId().getBytes(StandardCharsets.UTF_8)));
        properties.add(new MqttProperties.StringProperty(
                MqttPropertyType.RESPONSE_TOPIC.value(),
                DeviceTopic.commandResponse(command.deviceId(), command.name())));
        properties.add(new MqttProperties.StringProperty(MqttPropertyType.CONTENT_TYPE.value(), "application/json"));
        properties.add(new MqttProperties.UserProperty(COMMAND_ID, command.commandId()));
        return new BrokerMessage(
                topic,
                command.payload(),
                1,
                false,
                properties,
                command.expiresAt() == null ? 0 : command.expiresAt().toEpochMilli(),
                null);
    }

    /** A command's device and id, or a response topic's device and command name. */
    public record Ref(String deviceId, String value) {}

    /** @return the command's device and id when the message is a gateway-issued command, else empty */
    public static Optional<Ref> deviceAndId(BrokerMessage message) {
        if (message.publisherClientId() != null) {
            return Optional.empty();
        }
        return DeviceTopic.commandOf(message.topic()).flatMap(command -> {
            MqttProperties.MqttProperty<?> id =
                    message.properties().getProperty(MqttPropertyType.CORRELATION_DATA.value());
            return id == null
                    ? Optional.empty()
                    : Optional.of(new Ref(command.deviceId(), new String((byte[]) id.value(), StandardCharsets.UTF_8)));
        });
    }

    /** @return {@code {deviceId, name}} of a response topic {@code devices/{id}/commands/{name}/response}, else empty */
    public static Optional<Ref> responseTopic(String topic) {
        return DeviceTopic.commandResponseOf(topic).map(command -> new Ref(command.deviceId(), command.name()));
    }
}
