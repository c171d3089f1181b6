package dev.mecgw.app.mqtt;

import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.mqtt.routing.CommandMessages;
import dev.mecgw.app.mqtt.session.Broker;
import dev.mecgw.app.twin.DeviceCommand;
import dev.mecgw.app.twin.DeviceMessenger;
import java.util.concurrent.CompletionStage;

/** {@link DeviceMessenger} through the broker's gateway-originated publish path. */
public final class MqttDeviceMessenger implements DeviceMessenger {

    private final Broker broker;

    public MqttDeviceMessenger(MqttBroker broker) {
        this.broker = broker.broker();
    }

    @Override
    public CompletionStage<Void> send(String topic, byte[] payload, int qos, boolean retain) {
        return broker.publishFromGateway(BrokerMessage.fromGateway(topic, payload, qos, retain));
    }

    @Override
    public CompletionStage<Void> sendCommand(DeviceCommand command) {
        return broker.publishFromGateway(CommandMessages.of(command));
    }
}
