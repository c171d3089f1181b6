package dev.mecgw.app.ran;

import java.util.HashMap;
import java.util.Map;

/**
 * The 5G simulator profile plus a "lab" slice whose UE pool is loopback, where the MQTT and CoAP tests
 * connect from; its devices are confined to telemetry, commands and twin topics.
 */
public class LoopbackSliceProfile extends RanSimulatorProfile {

    /** Admin token of this profile. */
    public static final String TOKEN = "loopback-ran-admin-token-0123456789";
    /** The site's UE group in the simulator. */
    public static final String GROUP = "site@site.example";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("mecgw.admin.token", TOKEN);
        config.put("mecgw.ran.slices.lab.snssai", "1:000002");
        config.put("mecgw.ran.slices.lab.ue-subnets", "127.0.0.0/8");
        config.put("mecgw.ran.slices.lab.allowed-types", "sensor");
        config.put("mecgw.ran.slices.lab.zero-touch", "false");
        config.put(
                "mecgw.ran.slices.lab.allowed-topics",
                "devices/{device}/telemetry,devices/{device}/commands/#,devices/{device}/twin/#");
        return config;
    }
}
