package dev.mecgw.app.console.devices;

import java.time.Instant;
import java.util.Map;

/**
 * One row of the device list.
 *
 * @param slice {@code sst N [sd X]}, or null without a slice
 * @param lastSeen null when never seen
 * @param firmware the firmware version of the reported twin, or null
 * @param connection a southbound device's connection state (e.g. {@code connected}), or null for other devices
 */
public record DeviceRow(
        String id,
        String type,
        Map<String, String> labels,
        String slice,
        boolean online,
        Instant lastSeen,
        String firmware,
        String connection) {

    /** This row with a southbound connection state. */
    DeviceRow withConnection(String state) {
        return new DeviceRow(id, type, labels, slice, online, lastSeen, firmware, state);
    }
}
