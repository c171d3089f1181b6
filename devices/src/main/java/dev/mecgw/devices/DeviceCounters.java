package dev.mecgw.devices;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one simulated device did, for the status file and the summary. Thread-safe: protocol callbacks update it
 * from their own threads.
 */
public final class DeviceCounters {

    /** Whether the device holds a session with the gateway now. */
    public final AtomicBoolean online = new AtomicBoolean();
    /** Readings sent. */
    public final AtomicLong sent = new AtomicLong();
    /** Readings the gateway acknowledged (PUBACK, CoAP 2.04): durable there. */
    public final AtomicLong acknowledged = new AtomicLong();
    /** Readings refused or lost (negative acknowledgement, timeout, no session). */
    public final AtomicLong failed = new AtomicLong();
    /** Commands received from the gateway. */
    public final AtomicLong commands = new AtomicLong();
    /** Command responses the device published. */
    public final AtomicLong responses = new AtomicLong();
    /** Connection attempts that failed (refused credentials, gateway down). */
    public final AtomicLong connectFailures = new AtomicLong();
    /** Firmware bytes received (issue 18: bytes per device against the image size). */
    public final AtomicLong firmwareBytes = new AtomicLong();
}
