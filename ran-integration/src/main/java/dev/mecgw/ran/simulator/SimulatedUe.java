package dev.mecgw.ran.simulator;

import java.util.Objects;

/**
 * A UE attached to the simulated network.
 *
 * @param ipv4 the UE's address on the site's data network
 * @param externalId its GPSI as external identifier, {@code <local>@<domain>}
 * @param groupId external group it belongs to ({@code <local>@<domain>}), or null
 * @param sst slice/service type of its PDU session
 * @param sd slice differentiator (6 hex digits) or null
 * @param cellId serving cell (NR cell identity, 9 hex digits)
 * @param connected whether it is currently reachable
 */
public record SimulatedUe(
        String ipv4, String externalId, String groupId, int sst, String sd, String cellId, boolean connected) {

    /** Rejects missing identifiers. */
    public SimulatedUe {
        Objects.requireNonNull(ipv4, "ipv4");
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(cellId, "cellId");
    }

    SimulatedUe inCell(String newCell) {
        return new SimulatedUe(ipv4, externalId, groupId, sst, sd, newCell, connected);
    }

    SimulatedUe withConnected(boolean value) {
        return new SimulatedUe(ipv4, externalId, groupId, sst, sd, cellId, value);
    }
}
