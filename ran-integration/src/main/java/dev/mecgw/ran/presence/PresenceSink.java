package dev.mecgw.ran.presence;

import java.time.Instant;

/**
 * Device presence as the protocol front-ends keep it; mec-app adapts {@code DeviceRegistry.updatePresence}.
 * May block (JDBC): call from worker threads.
 */
@FunctionalInterface
public interface PresenceSink {

    /**
     * Marks a device offline now, before its MQTT keep-alive or CoAP lifetime would expire.
     *
     * @param at when the network saw the loss
     */
    void markOffline(String deviceId, Instant at);
}
