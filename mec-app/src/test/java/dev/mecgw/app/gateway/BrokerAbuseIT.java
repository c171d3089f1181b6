package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, items 6 and 7 against the packaged jar: password guessing is throttled before it costs hashing, and
 * retained messages are bounded per device, while the {@link WellBehavedDevices} keep publishing.
 */
@ExtendWith(AbuseGateway.Shared.class)
class BrokerAbuseIT {

    private static AbuseGateway gateway;

    @BeforeAll
    static void givenTheGateway(AbuseGateway shared) {
        gateway = shared;
    }

    @Test
    void shouldThrottleWrongPasswordsForAKnownDeviceWhileServingOthers() throws Exception {
        // given (item 6): a known device id
        long before = gateway.rssKib();
        double throttled = gateway.metric("mecgw_mqtt_connections_refused_total{reason=\"auth-throttled\"");
        String victim = gateway.givenDevice("victim", "sensor");
        try (WellBehavedDevices good = new WellBehavedDevices(gateway, "passwords")) {
            // when 40 CONNECTs with a wrong password arrive for it from another host
            for (int i = 0; i < 40; i++) {
                byte[] wrong = ("guess-" + i).getBytes(StandardCharsets.UTF_8);
                Mqtt3BlockingClient guess = gateway.mqtt3From("127.0.0.4", victim);
                assertThat(catchThrowable(() -> guess.connectWith()
                                .simpleAuth()
                                .username(victim)
                                .password(wrong)
                                .applySimpleAuth()
                                .send()))
                        .isInstanceOf(Mqtt3ConnAckException.class);
            }
            // then past the per-device limit (10 a minute) they are refused without hashing, and it shows. The login
            // window is fixed and starts at the first failure: if the 40 CONNECTs take over a minute on a loaded
            // machine it resets once and 10 more are hashed, so 40 - 2 * 10 are throttled at least
            assertThat(gateway.metric("mecgw_mqtt_connections_refused_total{reason=\"auth-throttled\""))
                    .as("CONNECTs refused as auth-throttled")
                    .isGreaterThanOrEqualTo(throttled + 40 - 2 * 10);
            good.finish();
        }
        gateway.report("wrong passwords (40 for one device id)", before);
    }

    @Test
    void shouldBoundRetainedMessagesWhenOneDeviceRetainsOnManyTopics() throws Exception {
        // given (item 7): a device type allowed to publish on hoard/#
        long before = gateway.rssKib();
        double refused = gateway.metric("mecgw_mqtt_retained_refused_total{reason=\"per-device\"");
        String rule = "{\"deviceType\":\"hoarder\",\"action\":\"PUBLISH\",\"topicFilter\":\"hoard/#\"}";
        assertThat(gateway.process()
                        .post("/api/v1/acl", AbuseGateway.TOKEN, rule)
                        .statusCode())
                .isEqualTo(201);
        Mqtt3BlockingClient hoarder = gateway.mqtt3(gateway.givenDevice("hoarder", "hoarder"));
        try (WellBehavedDevices good = new WellBehavedDevices(gateway, "retained")) {
            // when it retains 8 KiB on each of 1,000 topics (8 MB)
            for (int i = 0; i < 1000; i++) {
                hoarder.publishWith()
                        .topic("hoard/" + i)
                        .payload(new byte[8192])
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .retain(true)
                        .send();
            }
            // then only its share (100 messages) is retained; the rest is delivered but not retained, counted
            await("900 retained messages refused per device")
                    .atMost(Duration.ofSeconds(30))
                    .until(() ->
                            gateway.metric("mecgw_mqtt_retained_refused_total{reason=\"per-device\"") >= refused + 900);
            assertThat(gateway.metric("mecgw_mqtt_retained_messages")).isLessThanOrEqualTo(100);
            assertThat(gateway.metric("mecgw_mqtt_retained_bytes")).isLessThanOrEqualTo(1 << 20);
            good.finish();
        } finally {
            hoarder.disconnect();
        }
        gateway.report("retained flood (1,000 topics x 8 KiB from one device)", before);
    }
}
