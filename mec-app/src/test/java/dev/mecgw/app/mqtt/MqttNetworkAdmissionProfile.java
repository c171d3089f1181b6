package dev.mecgw.app.mqtt;

import dev.mecgw.app.ran.RanSimulatorProfile;
import java.util.HashMap;
import java.util.Map;

/** The 5G simulator profile plus a "lab" slice whose UE subnet is loopback, where the MQTT test connects. */
public class MqttNetworkAdmissionProfile extends RanSimulatorProfile {

    static final String TOKEN = "mqtt-ran-admin-token-0123456789";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("mecgw.admin.token", TOKEN);
        config.put("mecgw.ran.slices.lab.snssai", "1:000002");
        config.put("mecgw.ran.slices.lab.ue-subnets", "127.0.0.0/8");
        config.put("mecgw.ran.slices.lab.allowed-types", "sensor");
        config.put("mecgw.ran.slices.lab.zero-touch", "false");
        return config;
    }
}
