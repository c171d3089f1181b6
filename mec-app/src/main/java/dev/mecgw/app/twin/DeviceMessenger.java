package dev.mecgw.app.twin;

import java.util.concurrent.CompletionStage;

/**
 * Sends gateway-originated messages to devices through the protocol front-end (the MQTT broker), which
 * queues them for offline persistent sessions. Non-blocking and thread-safe.
 */
public interface DeviceMessenger {

    /**
     * @param topic concrete topic, e.g. {@code devices/cam-1/commands/reboot}
     * @param payload message bytes
     * @param qos 0, 1 or 2
     * @param retain whether the broker keeps it as the topic's retained message
     * @return completes once the message is routed and every copy queued for an offline persistent session
     *     is stored durably; fails when such a copy could not be stored
     */
    CompletionStage<Void> send(String topic, byte[] payload, int qos, boolean retain);

    /**
     * Sends a command on {@code devices/{id}/commands/{name}} at QoS 1 with its arguments as the payload; MQTT 5
     * subscribers also get the command id (correlation data and user property {@code command-id}), the response topic
     * {@code devices/{id}/commands/{name}/response} and, when it expires, the remaining message expiry
     * (docs/commands.md).
     *
     * @param command the command
     * @return as {@link #send}
     */
    CompletionStage<Void> sendCommand(DeviceCommand command);
}
