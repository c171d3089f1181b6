package dev.mecgw.app.ran;

import java.util.HashMap;
import java.util.Map;

/**
 * The 5G simulator profile with two loopback slices (issue 15.10): "lab" ({@code 1:000002}, UE pool 127.0.0.2/32)
 * under the default {@code require-network-identity}, and "open" ({@code 1:000003}, UE pool 127.0.0.3/32) whose
 * devices may also connect from outside the pools. 127.0.0.1 is outside every pool. Both slices confine their
 * devices to their telemetry topic.
 */
public class UePoolsProfile extends RanSimulatorProfile {

    /** Admin token of this profile. */
    public static final String TOKEN = "ue-pools-ran-admin-token-0123456789";
    /** The site's UE group in the simulator. */
    public static final String GROUP = "site@site.example";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("mecgw.admin.token", TOKEN);
        slice(config, "lab", "1:000002", "127.0.0.2/32");
        slice(config, "open", "1:000003", "127.0.0.3/32");
        config.put("mecgw.ran.slices.open.require-network-identity", "false");
        return config;
    }

    private static void slice(Map<String, String> config, String name, String snssai, String pool) {
        config.put("mecgw.ran.slices." + name + ".snssai", snssai);
        config.put("mecgw.ran.slices." + name + ".ue-subnets", pool);
        config.put("mecgw.ran.slices." + name + ".allowed-types", "sensor");
        config.put("mecgw.ran.slices." + name + ".zero-touch", "false");
        config.put("mecgw.ran.slices." + name + ".allowed-topics", "devices/{device}/telemetry");
    }
}
