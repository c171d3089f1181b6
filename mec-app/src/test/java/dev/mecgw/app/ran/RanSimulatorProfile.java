package dev.mecgw.app.ran;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Runs the gateway against the built-in network simulator, with one zero-touch IoT slice. */
public class RanSimulatorProfile implements QuarkusTestProfile {

    static final String ADMIN_TOKEN = "ran-test-admin-token-0123456789";
    /** QoS reference of the rule on {@code inference.detection} events of cameras (held 2 s). */
    public static final String QOS_RULE_VIDEO = "qos-video-rule";
    /** QoS reference of the rule on {@code inference.classification} events of cameras. */
    public static final String QOS_RULE_UHD = "qos-uhd-rule";

    @Override
    public Map<String, String> getConfigOverrides() {
        // The NEF must know our callback port up front, so this profile picks a free one instead of port 0.
        int port = freePort();
        return Map.ofEntries(
                Map.entry("quarkus.http.test-port", Integer.toString(port)),
                Map.entry("mecgw.admin.token", ADMIN_TOKEN),
                Map.entry("mecgw.ran.enabled", "true"),
                Map.entry("mecgw.ran.simulator.enabled", "true"),
                Map.entry("mecgw.ran.simulator.port", "0"),
                Map.entry("mecgw.ran.nef.external-group-id", "site@site.example"),
                Map.entry("mecgw.ran.mec.service-endpoint", "http://10.45.0.1:8080/api/v1"),
                Map.entry("mecgw.ran.slices.iot.snssai", "1:000001"),
                Map.entry("mecgw.ran.slices.iot.ue-subnets", "10.45.0.0/16"),
                Map.entry("mecgw.ran.slices.iot.allowed-types", "sensor,camera"),
                Map.entry("mecgw.ran.slices.iot.zero-touch", "true"),
                Map.entry("mecgw.ran.slices.iot.default-type", "sensor"),
                // A NEF answer that a test holds back must not time out on a loaded machine.
                Map.entry("mecgw.ran.timeout", "30s"),
                Map.entry("mecgw.ran.qos.initial-backoff", "50ms"),
                Map.entry("mecgw.ran.qos.max-backoff", "200ms"),
                Map.entry("mecgw.ran.qos-rules.camera-video.event-kind", "inference.detection"),
                Map.entry("mecgw.ran.qos-rules.camera-video.device-type", "camera"),
                Map.entry("mecgw.ran.qos-rules.camera-video.qos-reference", QOS_RULE_VIDEO),
                Map.entry("mecgw.ran.qos-rules.camera-video.duration", "2s"),
                Map.entry("mecgw.ran.qos-rules.camera-uhd.event-kind", "inference.classification"),
                Map.entry("mecgw.ran.qos-rules.camera-uhd.device-type", "camera"),
                Map.entry("mecgw.ran.qos-rules.camera-uhd.qos-reference", QOS_RULE_UHD),
                Map.entry("mecgw.ran.qos-rules.camera-uhd.flow-descriptions", "permit out 17 from 192.0.2.10 to {ue}"));
    }

    private static int freePort() {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
