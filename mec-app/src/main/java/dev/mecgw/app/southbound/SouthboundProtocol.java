package dev.mecgw.app.southbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mecgw.app.registry.ConnectionPolicy.CheckedConnection;

/**
 * One southbound protocol (issue 21): Modbus TCP, IEC 60870-5-104, Sparkplug B. A protocol registers by being handed
 * to {@link Southbound} (the wiring collects every {@code SouthboundProtocol} bean); from then on devices of its
 * {@link #type()} are accepted by the registry with the {@code connection} settings {@link #check} accepts, and
 * {@link Southbound} opens one {@link SouthboundClient} per such device, restarts it when the device's settings
 * change and closes it when the device is deleted. Implementations are thread-safe.
 */
public interface SouthboundProtocol {

    /** @return the device type this protocol serves, e.g. {@code modbus}; unique among protocols */
    String type();

    /**
     * Validates a device's {@code connection} settings on upload. Pure; never blocks. Read them with
     * {@link SettingsReader} so that errors name the field.
     *
     * @param connection the request's {@code connection} object, null when absent
     * @return the settings to store and show, and the write-only secrets
     * @throws dev.mecgw.app.problem.GatewayException BAD_REQUEST naming the field, e.g.
     *     {@code connection.registers[3].address}
     */
    CheckedConnection check(JsonNode connection);

    /**
     * Builds the client of one device; it must not connect before {@link SouthboundClient#start()}. Called on the
     * southbound store thread; must not block.
     *
     * @param device the device with its checked settings and opened secrets
     * @param link how the client reports readings, connection state and events
     */
    SouthboundClient open(SouthboundDevice device, SouthboundLink link);

    /** Releases what the protocol shares between its clients (event loops, listeners); called after every client closed. */
    default void close() {}
}
