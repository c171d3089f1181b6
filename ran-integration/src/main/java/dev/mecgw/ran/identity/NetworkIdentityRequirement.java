package dev.mecgw.ran.identity;

import java.util.Map;
import java.util.Set;

/**
 * Which devices must connect through a UE address pool of a managed slice (issue 15, item 10). Without it, a
 * device with a registered SIM could skip the SIM identity check simply by connecting from an address outside
 * every pool (another network, a tunnel); with it, such a connection is refused with
 * {@code NETWORK_IDENTITY_REQUIRED}. Devices without a SIM are never affected.
 *
 * @param requiredByDefault whether a device with a SIM must connect through a pool
 * @param bySlice overrides for devices registered to a slice
 * @param exemptTypes device types that may always connect off-pool (e.g. gateways with a wired fallback)
 */
public record NetworkIdentityRequirement(
        boolean requiredByDefault, Map<Snssai, Boolean> bySlice, Set<String> exemptTypes) {

    /** Copies the collections. */
    public NetworkIdentityRequirement {
        bySlice = Map.copyOf(bySlice);
        exemptTypes = Set.copyOf(exemptTypes);
    }

    /** Off-pool connections are never refused (the behaviour before issue 15). */
    public static NetworkIdentityRequirement none() {
        return new NetworkIdentityRequirement(false, Map.of(), Set.of());
    }

    /** Whether this device may connect only through a slice's UE pool. */
    public boolean appliesTo(RegisteredDevice device) {
        if (device.gpsi() == null || exemptTypes.contains(device.type())) {
            return false;
        }
        if (device.slice() != null && bySlice.containsKey(device.slice())) {
            return bySlice.get(device.slice());
        }
        return requiredByDefault;
    }

    /** Whether any device could be refused, i.e. whether off-pool connections need a registry lookup. */
    boolean active() {
        return requiredByDefault || bySlice.containsValue(true);
    }
}
