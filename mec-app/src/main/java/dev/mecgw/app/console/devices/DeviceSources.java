package dev.mecgw.app.console.devices;

import dev.mecgw.app.registry.DeviceConnectionView;
import dev.mecgw.app.registry.DeviceNetworkView;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.telemetry.TelemetryStore;
import dev.mecgw.app.twin.TwinStore;

/**
 * What the device page reads: the registry, the 5G network's view, a southbound device's live connection, the twin
 * and the telemetry store.
 */
public record DeviceSources(
        DeviceRegistry registry,
        DeviceNetworkView network,
        DeviceConnectionView connections,
        TwinStore twins,
        TelemetryStore telemetry,
        RawMessageRing rawMessages) {}
