package dev.mecgw.app.ran.app;

import dev.mecgw.app.ran.RanConfig;
import dev.mecgw.ran.identity.SlicePolicy;
import dev.mecgw.ran.identity.Snssai;
import dev.mecgw.ran.identity.UeSubnet;
import java.util.List;
import java.util.Set;

/** Turns the {@code mecgw.ran.slices.*} configuration into slice policies, failing start-up on bad values. */
final class RanSlicePolicies {

    private RanSlicePolicies() {}

    static List<SlicePolicy> from(RanConfig config) {
        return config.slices().entrySet().stream()
                .map(entry -> {
                    RanConfig.Slice slice = entry.getValue();
                    try {
                        return new SlicePolicy(
                                Snssai.parse(slice.snssai()),
                                slice.ueSubnets().stream().map(UeSubnet::parse).toList(),
                                Set.copyOf(slice.allowedTypes().orElse(List.of())),
                                slice.zeroTouch(),
                                slice.defaultType().orElse(null),
                                slice.allowedTopics().orElse(List.of()));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(
                                "mecgw.ran.slices." + entry.getKey() + ": " + e.getMessage(), e);
                    }
                })
                .toList();
    }
}
