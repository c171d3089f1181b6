package dev.mecgw.app.mqtt.routing;

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
    private static final String PREFIX = "devices/";
    private static final String COMMANDS = "/commands/";
    private static final String RESPONSE = "/response";

    private CommandMessages() {}

    /** Builds the message the broker delivers for a command, so that MQTT and the docs agree on one shape. */
    public static BrokerMessage of(DeviceCommand command) {
        String topic = PREFIX + command.deviceId() + COMMANDS + command.name();
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.BinaryProperty(
                MqttPropertyType.CORRELATION_DATA.value(), command.commandId().getBytes(StandardCharsets.UTF_8)));
        properties.add(new MqttProperties.StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(), topic + RESPONSE));
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
        String topic = message.topic();
        if (message.publisherClientId() != null || !topic.startsWith(PREFIX) || topic.endsWith(RESPONSE)) {
            return Optional.empty();
        }
        int commands = topic.indexOf(COMMANDS, PREFIX.length());
        MqttProperties.MqttProperty<?> id = message.properties().getProperty(MqttPropertyType.CORRELATION_DATA.value());
        if (commands < 0 || id == null) {
            return Optional.empty();
        }
        return Optional.of(new Ref(
                topic.substring(PREFIX.length(), commands), new String((byte[]) id.value(), StandardCharsets.UTF_8)));
    }

    /** @return {@code {deviceId, name}} of a response topic {@code devices/{id}/commands/{name}/response}, else empty */
    public static Optional<Ref> responseTopic(String topic) {
        if (!topic.startsWith(PREFIX) || !topic.endsWith(RESPONSE)) {
            return Optional.empty();
        }
        String[] levels = topic.split("/", -1);
        if (levels.length != 5 || !levels[2].equals("commands") || levels[1].isEmpty() || levels[3].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Ref(levels[1], levels[3]));
    }
}
