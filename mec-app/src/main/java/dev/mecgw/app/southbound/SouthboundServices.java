package dev.mecgw.app.southbound;

import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.twin.CommandReceipts;
import java.time.Clock;

/**
 * The gateway parts the southbound clients use.
 *
 * @param registry connection settings and presence
 * @param ingest where readings go, as for MQTT and CoAP
 * @param events operator events (online, offline, rejected frames)
 * @param receipts where command outcomes are recorded
 * @param clock reading timestamps and state times
 */
public record SouthboundServices(
        DeviceRegistry registry, TelemetryIngest ingest, EventLog events, CommandReceipts receipts, Clock clock) {}
