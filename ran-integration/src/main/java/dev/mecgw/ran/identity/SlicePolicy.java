package dev.mecgw.ran.identity;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What devices on one slice may do.
 *
 * @param slice the S-NSSAI
 * @param ueSubnets UE address pools of the slice; a connecting address selects its slice by these
 * @param allowedTypes device types allowed on the slice; empty allows every type
 * @param zeroTouch whether unknown SIMs are onboarded (true) or rejected (false)
 * @param defaultType device type given to zero-touch devices; must be allowed
 * @param allowedTopics MQTT topic filters / CoAP path patterns the slice's devices may use; empty means the
 *     protocol front-end's defaults
 */
public record SlicePolicy(
        Snssai slice,
        List<UeSubnet> ueSubnets,
        Set<String> allowedTypes,
        boolean zeroTouch,
        String defaultType,
        List<String> allowedTopics) {

    /** Copies the collections and checks that the default type is allowed. */
    public SlicePolicy {
        Objects.requireNonNull(slice, "slice");
        ueSubnets = List.copyOf(ueSubnets);
        allowedTypes = Set.copyOf(allowedTypes);
        allowedTopics = List.copyOf(allowedTopics);
        if (zeroTouch && (defaultType == null || !allowsType(allowedTypes, defaultType))) {
            throw new IllegalArgumentException("slice " + slice + ": zero-touch needs an allowed default type");
        }
    }

    /** Whether {@code type} may connect on this slice. */
    public boolean allows(String type) {
        return allowsType(allowedTypes, type);
    }

    /** Whether {@code address} comes from one of the slice's UE pools. */
    public boolean serves(InetAddress address) {
        return ueSubnets.stream().anyMatch(subnet -> subnet.contains(address));
    }

    private static boolean allowsType(Set<String> allowed, String type) {
        return allowed.isEmpty() || allowed.contains(type);
    }
}
