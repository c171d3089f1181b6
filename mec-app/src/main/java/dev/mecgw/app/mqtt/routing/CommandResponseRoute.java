package dev.mecgw.app.mqtt.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.twin.CommandReceipts;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;

/**
 * {@code devices/{id}/commands/{name}/response}: the device's answer to a command makes it acknowledged
 * (docs/commands.md). The command id comes from the JSON payload's {@code id}, else from the MQTT 5 correlation data
 * the command carried; without either (MQTT 3.1.1 and a non-JSON answer) the oldest unanswered command of that name
 * is meant. The PUBACK waits until the status is stored.
 */
public final class CommandResponseRoute implements PublishRoute {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandReceipts receipts;

    /** Reports device responses to {@code receipts}, which closes the command's status. */
    public CommandResponseRoute(CommandReceipts receipts) {
        this.receipts = receipts;
    }

    @Override
    public boolean handles(String topic) {
        return CommandMessages.responseTopic(topic).isPresent();
    }

    @Override
    public Future<Void> handle(Principal publisher, BrokerMessage message) {
        CommandMessages.Ref deviceAndName =
                CommandMessages.responseTopic(message.topic()).orElseThrow();
        // Completes on the broker's context, where the relay and the PUBACK must run; a store failure keeps its
        // kind (UNAVAILABLE), which becomes the PUBACK reason code.
        return Future.fromCompletionStage(
                        receipts.responded(
                                deviceAndName.deviceId(), deviceAndName.value(), commandId(message), message.payload()),
                        Vertx.currentContext())
                .recover(failure -> Future.failedFuture(
                        failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause()
                                : failure));
    }

    private static String commandId(BrokerMessage message) {
        try {
            JsonNode body = JSON.readTree(message.payload());
            if (body != null && body.path("id").isTextual()) {
                return body.get("id").asText();
            }
        } catch (IOException e) {
            // not JSON: the correlation data may still name the command
        }
        MqttProperties.MqttProperty<?> correlation =
                message.properties().getProperty(MqttPropertyType.CORRELATION_DATA.value());
        return correlation == null ? null : new String((byte[]) correlation.value(), StandardCharsets.UTF_8);
    }
}
