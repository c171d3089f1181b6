package dev.mecgw.app.ran.app;

import dev.mecgw.app.ran.RanConfig;
import dev.mecgw.ran.identity.NetworkIdentityRequirement;
import dev.mecgw.ran.identity.SlicePolicy;
import dev.mecgw.ran.identity.Snssai;
import dev.mecgw.ran.identity.UeSubnet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Turns the {@code mecgw.ran.slices.*} configuration into slice policies, failing start-up on bad values. */
final class RanSlicePolicies {

    private RanSlicePolicies() {}

    static List<SlicePolicy> from(RanConfig config) {
        return List.copyOf(named(config).values());
    }

    /** Which devices must connect through a UE pool (issue 15.10), from the global and per-slice settings. */
    static NetworkIdentityRequirement requirement(RanConfig config) {
        Map<Snssai, Boolean> bySlice = new HashMap<>();
        config.slices()
                .forEach((name, slice) -> slice.requireNetworkIdentity()
                        .ifPresent(required -> bySlice.put(Snssai.parse(slice.snssai()), required)));
        return new NetworkIdentityRequirement(
                config.requireNetworkIdentity(),
                bySlice,
                Set.copyOf(config.networkIdentityExemptTypes().orElse(List.of())));
    }

    /**
     * @return the policies by slice name, in name order
     * @throws IllegalArgumentException naming the entry ({@code mecgw.ran.slices.<name>}) of the first bad value
     */
    static Map<String, SlicePolicy> named(RanConfig config) {
        Map<String, SlicePolicy> policies = new TreeMap<>();
        config.slices().forEach((name, slice) -> {
            try {
                policies.put(
                        name,
                        new SlicePolicy(
                                Snssai.parse(slice.snssai()),
                                slice.ueSubnets().stream().map(UeSubnet::parse).toList(),
                                Set.copyOf(slice.allowedTypes().orElse(List.of())),
                                slice.zeroTouch(),
                                slice.defaultType().orElse(null),
                                slice.allowedTopics().orElse(List.of())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mecgw.ran.slices." + name + ": " + e.getMessage(), e);
            }
        });
        return policies;
    }
}
