package dev.mecgw.app.console;

import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mecgw.app.coap.app.CoapLifecycle;
import dev.mecgw.app.console.ConsoleLoginTest.Browser;
import dev.mecgw.app.mqtt.MqttBroker;
import dev.mecgw.app.mqtt.MqttFixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: a device's last raw messages on its page. A telemetry publish over real MQTT (stored and refused) and a
 * CoAP POST show with topic/path, QoS/CON, outcome and payload, never the device's password; a new message is
 * pushed to an open page over SSE.
 */
@QuarkusTest
class ConsoleRawMessagesTest {

    private static final String PASSWORD = "raw-password-1";
    private static final Pattern RAW_VERSION = Pattern.compile("stream\\?raw=([0-9-]+)");

    @Inject
    MqttBroker broker;

    @Inject
    CoapLifecycle coap;

    @TestHTTPResource("/")
    URL base;

    @Test
    void shouldShowMqttAndCoapMessagesWhenDeviceSendsTelemetry() throws Exception {
        // given a device with a password and a viewer
        String device = MqttFixtures.givenDevice("raw", "sensor", PASSWORD);
        Browser viewer = ConsoleScreensTest.givenLoggedIn(ConsoleLoginTest.givenUser("viewer"));
        Mqtt5BlockingClient mqtt = MqttFixtures.connect(MqttFixtures.mqtt5(broker.port(), device), device, PASSWORD);

        // when it publishes a good and a bad reading over MQTT and posts one over CoAP
        mqtt.publishWith()
                .topic("devices/" + device + "/telemetry")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(bytes("{\"temp\":21.5}"))
                .send();
        try {
            mqtt.publishWith()
                    .topic("devices/" + device + "/telemetry")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(bytes("{\"temp\":"))
                    .send();
        } catch (RuntimeException refused) {
            // MQTT 5 answers 0x99 payload format invalid; the page must say why
        }
        assertThat(post(device, "{\"hum\":40}").getCode()).isEqualTo(ResponseCode.CHANGED);

        // then the device page lists all three, newest first, with their outcome and no secret
        String page = viewer.get("/console/devices/" + device)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page)
                .contains("POST /telemetry/" + device, "CON", "{&quot;hum&quot;:40}")
                .contains("devices/" + device + "/telemetry", "QoS 1", "{&quot;temp&quot;:21.5}")
                .contains("rejected", "stored")
                .doesNotContain(PASSWORD);
        assertThat(page.indexOf("hum&quot;")).isLessThan(page.indexOf("21.5"));

        // when the page's live stream is open and another reading arrives
        Matcher version = RAW_VERSION.matcher(page);
        assertThat(version.find()).isTrue();
        List<String> lines = new CopyOnWriteArrayList<>();
        ConsoleLiveTest.read(base, viewer, "/console/devices/" + device + "/stream?raw=" + version.group(1), lines);
        await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("status:200"));
        mqtt.publishWith()
                .topic("devices/" + device + "/telemetry")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(bytes("{\"temp\":22.75}"))
                .send();

        // then the raw messages region is pushed with it
        await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("event:raw"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> String.join("\n", lines).contains("22.75"));
        mqtt.disconnect();
    }

    private CoapResponse post(String device, String json) throws Exception {
        Endpoint endpoint = CoapEndpoint.builder()
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0))
                .build();
        CoapClient client =
                new CoapClient("coap://127.0.0.1:" + coap.plainAddress().getPort() + "/telemetry/" + device);
        try {
            client.setEndpoint(endpoint);
            client.setTimeout(10_000L);
            return client.post(json, MediaTypeRegistry.APPLICATION_JSON);
        } finally {
            client.shutdown();
            endpoint.destroy();
        }
    }
}
