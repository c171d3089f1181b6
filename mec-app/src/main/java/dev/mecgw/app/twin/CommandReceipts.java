package dev.mecgw.app.twin;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the protocol front-ends report about a command they handed to a device (docs/commands.md): its delivery
 * (MQTT PUBACK, CoAP ACK of the notification) and the device's response. Thread-safe and non-blocking: callable from
 * event loops.
 */
public interface CommandReceipts {

    /** Records nothing: for front-ends running without a store (tests, tools). */
    CommandReceipts NONE = new CommandReceipts() {
        @Override
        public void delivered(String deviceId, String commandId) {
            // nothing to record
        }

        @Override
        public CompletionStage<Void> responded(String deviceId, String name, String commandId, byte[] response) {
            return CompletableFuture.completedFuture(null);
        }
    };

    /**
     * The device acknowledged the message carrying the command.
     *
     * @param deviceId the device
     * @param commandId the command's id
     */
    void delivered(String deviceId, String commandId);

    /**
     * The device responded to a command.
     *
     * @param deviceId the responding device
     * @param name the command name, or null when the protocol does not say (CoAP)
     * @param commandId the command's id; null when the device did not echo it (MQTT 3.1.1): the oldest unanswered
     *     command of that name for the device is meant
     * @param response the response body as sent, JSON by convention
     * @return completes once the response is recorded (the device may then be acknowledged); fails when the store is
     *     unavailable
     */
    CompletionStage<Void> responded(String deviceId, String name, String commandId, byte[] response);
}
