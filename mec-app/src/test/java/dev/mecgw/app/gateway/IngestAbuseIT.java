package dev.mecgw.app.gateway;

import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import dev.mecgw.app.mqtt.ZeroPng;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, items 2, 3 and 4 against the packaged jar: what one device sends for storage or inference — frame
 * bombs, readings PostgreSQL cannot hold, a flood of huge messages — is refused or throttled for that device alone,
 * while the {@link WellBehavedDevices} keep publishing.
 */
@ExtendWith(AbuseGateway.Shared.class)
class IngestAbuseIT {

    private static AbuseGateway gateway;

    @BeforeAll
    static void givenTheGateway(AbuseGateway shared) {
        gateway = shared;
    }

    @Test
    void shouldRefuseFrameBombsFromCamerasAndOtherDevicesWhileServingOthers() throws Exception {
        // given (item 2): a camera and a sensor, each sending six 9000x9000 PNGs (~243 MB each once decoded)
        long before = gateway.rssKib();
        double pixels = gateway.metric("mecgw_inference_frames_refused_total{reason=\"too-many-pixels\"");
        double type = gateway.metric("mecgw_inference_frames_refused_total{reason=\"device-type\"");
        byte[] bomb = ZeroPng.of(9000, 9000);
        String cam = gateway.givenDevice("cam", "camera");
        String notCam = gateway.givenDevice("not-cam", "sensor");
        Mqtt3BlockingClient camera = gateway.mqtt3(cam);
        Mqtt3BlockingClient sensor = gateway.mqtt3(notCam);
        try (WellBehavedDevices good = new WellBehavedDevices(gateway, "frames")) {
            // when they publish them at QoS 1 (MQTT 3.1.1: refused frames are acknowledged and dropped)
            for (int i = 0; i < 6; i++) {
                publish(camera, "devices/" + cam + "/frames", bomb);
                publish(sensor, "devices/" + notCam + "/frames", bomb);
            }
            // then the camera's are refused by the pixel budget, the sensor's by its type
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> gateway.metric("mecgw_inference_frames_refused_total{reason=\"too-many-pixels\"")
                                    >= pixels + 6
                            && gateway.metric("mecgw_inference_frames_refused_total{reason=\"device-type\"")
                                    >= type + 6);
            good.finish();
        } finally {
            camera.disconnect();
            sensor.disconnect();
        }
        gateway.report("frame bombs (6 from a camera, 6 from a sensor, 9000x9000 PNG)", before);
    }

    @Test
    void shouldRefuseOnlyTheBadReadingsWhenADeviceSendsTimesOutOfRange() throws Exception {
        // given (item 3): a device sending readings with a time PostgreSQL cannot hold
        long before = gateway.rssKib();
        double rejected = gateway.metric("mecgw_mqtt_payloads_rejected_total");
        Mqtt3AsyncClient bad =
                gateway.mqtt3(gateway.givenDevice("bad-clock", "sensor")).toAsync();
        String topic = "devices/" + bad.getConfig().getClientIdentifier().orElseThrow() + "/telemetry";
        try (WellBehavedDevices good = new WellBehavedDevices(gateway, "clock")) {
            // when it sends 200 of them at QoS 0
            for (int i = 0; i < 200; i++) {
                bad.publishWith()
                        .topic(topic)
                        .payload("{\"ts\":9300000000000000,\"x\":1}".getBytes(StandardCharsets.UTF_8))
                        .qos(MqttQos.AT_MOST_ONCE)
                        .send()
                        .join();
            }
            // then the refusals are counted, and the good devices are unaffected
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> gateway.metric("mecgw_mqtt_payloads_rejected_total") >= rejected + 200);
            good.finish();
        } finally {
            bad.disconnect();
        }
        gateway.report("out-of-range times (200 at QoS 0)", before);
    }

    @Test
    void shouldThrottleTheFloodingDeviceAndKeepServingOthersWhenOneDeviceFloodsIngest() throws Exception {
        // given (item 4): a device flooding at QoS 0 with 3,000-reading messages
        long before = gateway.rssKib();
        double throttled = gateway.metric("mecgw_ingest_submissions_throttled_total");
        StringBuilder big = new StringBuilder("{");
        for (int i = 0; i < 3000; i++) {
            big.append(i == 0 ? "" : ",").append("\"m").append(i).append("\":").append(i);
        }
        byte[] flood = big.append('}').toString().getBytes(StandardCharsets.UTF_8);
        String flooderId = gateway.givenDevice("flooder", "sensor");
        Mqtt3AsyncClient flooder = gateway.mqtt3(flooderId).toAsync();
        try (WellBehavedDevices good = new WellBehavedDevices(gateway, "flood")) {
            // when 1,000 such messages are sent as fast as the socket takes them
            CompletableFuture<?>[] sent = new CompletableFuture<?>[1000];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = flooder.publishWith()
                        .topic("devices/" + flooderId + "/telemetry")
                        .payload(flood)
                        .qos(MqttQos.AT_MOST_ONCE)
                        .send();
            }
            CompletableFuture.allOf(sent).join();
            // then the flooder is throttled
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> gateway.metric("mecgw_ingest_submissions_throttled_total") > throttled);
            good.finish();
        } finally {
            flooder.disconnect();
        }
        gateway.report("ingest flood (1,000 x 3,000 readings at QoS 0)", before);
    }

    private static void publish(Mqtt3BlockingClient client, String topic, byte[] payload) {
        client.publishWith()
                .topic(topic)
                .payload(payload)
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
    }
}
