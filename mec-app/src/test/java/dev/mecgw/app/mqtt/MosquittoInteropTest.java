package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.ADMIN;
import static dev.mecgw.app.mqtt.MqttFixtures.PASSWORD;
import static dev.mecgw.app.mqtt.MqttFixtures.connected5;
import static dev.mecgw.app.mqtt.MqttFixtures.givenAclRule;
import static dev.mecgw.app.mqtt.MqttFixtures.givenDevice;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Interop with Debian's mosquitto-clients (installed by .ci/run), MQTT 3.1.1 and 5. */
@QuarkusTest
class MosquittoInteropTest {

    @Inject
    MqttBroker broker;

    int port;

    @BeforeEach
    void setUp() {
        // CI installs the clients (.ci/run) and must run these tests; a developer machine without them skips.
        if (!"true".equals(System.getenv("CI"))) {
            org.junit.jupiter.api.Assumptions.assumeTrue(
                    java.nio.file.Files.exists(Path.of("/usr/bin/mosquitto_pub")),
                    "mosquitto-clients not installed (apt-get install mosquitto-clients)");
        }
        assertThat(Path.of("/usr/bin/mosquitto_pub"))
                .as("apt-get install mosquitto-clients")
                .exists();
        port = broker.port();
    }

    private List<String> auth(String tool, String device, String password, String version) {
        return new ArrayList<>(List.of(
                tool,
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-V",
                version,
                "-i",
                device + "-" + tool + "-" + UUID.randomUUID().toString().substring(0, 8),
                "-u",
                device,
                "-P",
                password));
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command.get(0));
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Starts mosquitto_sub with -d and returns once its SUBACK is printed. */
    private static Subscriber subscribe(List<String> command) throws IOException {
        command.add("-d");
        // mosquitto_sub block-buffers stdout into a pipe; stdbuf makes the SUBACK line visible at once.
        command.addAll(0, List.of("stdbuf", "-oL"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            if (line.contains("received SUBACK")) {
                return new Subscriber(p, out, lines);
            }
        }
        throw new AssertionError("mosquitto_sub ended before SUBACK: " + lines);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void shouldRefuseConnectWhenMosquittoClientSendsWrongPassword(String version) throws Exception {
        // given
        String device = givenDevice("sensor");
        // when
        List<String> cmd = auth("mosquitto_pub", device, "wrong-password", version);
        cmd.addAll(List.of("-t", "devices/" + device + "/telemetry", "-m", "{\"t\":1}"));
        Result result = run(cmd);
        // then
        assertThat(result.exit()).isNotZero();
        assertThat(result.output().toLowerCase()).containsAnyOf("bad user name or password", "not authori");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void shouldRelayQos2WhenMosquittoClientsPublishAndSubscribe(String version) throws Exception {
        // given
        String topic = "site/interop/" + UUID.randomUUID();
        givenAclRule("sensor", "PUBLISH", "site/interop/#");
        givenAclRule("camera", "SUBSCRIBE", "site/interop/#");
        List<String> sub = auth("mosquitto_sub", givenDevice("camera"), PASSWORD, version);
        sub.addAll(List.of("-t", topic, "-q", "2", "-C", "1", "-W", "15"));
        Subscriber subscriber = subscribe(sub);
        // when
        List<String> pub = auth("mosquitto_pub", givenDevice("sensor"), PASSWORD, version);
        pub.addAll(List.of("-t", topic, "-q", "2", "-m", "hello-" + version));
        Result published = run(pub);
        // then
        assertThat(published.exit()).as(published.output()).isZero();
        assertThat(subscriber.awaitOutput()).contains("hello-" + version);
    }

    @Test
    void shouldServeRetainedMessageWhenMosquittoSubscribesLater() throws Exception {
        // given
        String topic = "site/interop/retained/" + UUID.randomUUID();
        givenAclRule("sensor", "PUBLISH", "site/interop/#");
        givenAclRule("camera", "SUBSCRIBE", "site/interop/#");
        List<String> pub = auth("mosquitto_pub", givenDevice("sensor"), PASSWORD, "mqttv311");
        pub.addAll(List.of("-t", topic, "-q", "1", "-r", "-m", "kept"));
        assertThat(run(pub).exit()).isZero();
        // when
        List<String> sub = auth("mosquitto_sub", givenDevice("camera"), PASSWORD, "mqttv5");
        sub.addAll(List.of("-t", topic, "-C", "1", "-W", "10", "-v"));
        Result result = run(sub);
        // then
        assertThat(result.output()).contains(topic + " kept");
    }

    @Test
    void shouldDenySubscriptionWhenMosquittoClientAsksForForeignTopic() throws Exception {
        // given
        String device = givenDevice("sensor");
        // when
        List<String> sub = auth("mosquitto_sub", device, PASSWORD, "mqttv5");
        sub.addAll(List.of("-t", "devices/+/telemetry", "-C", "1", "-W", "5"));
        Result result = run(sub);
        // then
        assertThat(result.output()).containsIgnoringCase("denied");
    }

    @Test
    void shouldStoreTelemetryWhenMosquittoPublishesQos1() throws Exception {
        // given
        String device = givenDevice("sensor");
        Path senml = Files.createTempFile("senml", ".json");
        Files.writeString(senml, "[{\"bn\":\"env.\",\"n\":\"temp\",\"v\":20.5},{\"n\":\"hum\",\"v\":41}]");
        // when
        List<String> pub = auth("mosquitto_pub", device, PASSWORD, "mqttv311");
        pub.addAll(List.of("-t", "devices/" + device + "/telemetry", "-q", "1", "-f", senml.toString()));
        Result result = run(pub);
        // then: mosquitto_pub exits after PUBACK, which we send only after the commit
        assertThat(result.exit()).as(result.output()).isZero();
        given().header("Authorization", ADMIN)
                .get("/api/v1/devices/" + device + "/telemetry")
                .then()
                .statusCode(200)
                .body("$", hasSize(2));
        Files.delete(senml);
    }

    @Test
    void shouldPublishWillWhenMosquittoClientIsKilled() throws Exception {
        // given
        givenAclRule("sensor", "PUBLISH", "site/interop/#");
        givenAclRule("camera", "SUBSCRIBE", "site/interop/#");
        String topic = "site/interop/will/" + UUID.randomUUID();
        Mqtt5BlockingClient watcher = connected5(port, givenDevice("camera"));
        try (Mqtt5BlockingClient.Mqtt5Publishes received = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith()
                    .topicFilter(topic)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            String sensor = givenDevice("sensor");
            List<String> sub = auth("mosquitto_sub", sensor, PASSWORD, "mqttv311");
            sub.addAll(List.of(
                    "-t",
                    "devices/" + sensor + "/commands/#",
                    "--will-topic",
                    topic,
                    "--will-payload",
                    "lost",
                    "--will-qos",
                    "1"));
            Subscriber dying = subscribe(sub);
            // when: killed without DISCONNECT
            dying.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            // then
            Optional<Mqtt5Publish> will = received.receive(10, TimeUnit.SECONDS);
            assertThat(will).isPresent();
            assertThat(new String(will.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("lost");
        }
        watcher.disconnect();
    }

    private record Result(int exit, String output) {}

    private record Subscriber(Process process, BufferedReader out, List<String> lines) {
        String awaitOutput() throws IOException, InterruptedException {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
            process.waitFor(20, TimeUnit.SECONDS);
            return String.join("\n", lines);
        }
    }
}
