package dev.mecgw.devices;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mecgw.devices.mqtt.MqttSensor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandReplyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldFindTheCommandNameWhenTheTopicIsACommand() {
        assertThat(CommandReply.commandName("devices/s-1/commands/reboot")).contains("reboot");
        assertThat(CommandReply.commandName("devices/s-1/commands/reboot/response"))
                .isEmpty();
        assertThat(CommandReply.commandName("devices/s-1/twin/desired")).isEmpty();
        assertThat(CommandReply.commandName("devices/s-1/commands/")).isEmpty();
    }

    @Test
    void shouldAnswerOnTheDocumentedTopicAndResource() {
        // docs/commands.md: MQTT devices/{id}/commands/{name}/response; CoAP POST /commands
        assertThat(CommandReply.responseTopic("s-1", "blink")).isEqualTo("devices/s-1/commands/blink/response");
        assertThat(CommandReply.COAP_PATH).isEqualTo("/commands");
    }

    @Test
    void shouldCarryTheCommandIdAndEchoThePayloadWhenAnswering() throws Exception {
        // given a CoAP command document
        byte[] command =
                "{\"id\":\"c-7\",\"name\":\"blink\",\"payload\":{\"times\":3}}".getBytes(StandardCharsets.UTF_8);

        // when answered
        JsonNode answer = JSON.readTree(
                CommandReply.response("blink", Optional.of("c-7"), command, Instant.parse("2026-12-05T15:00:00Z")));

        // then the response carries the id the gateway matches it by, and the command's arguments
        assertThat(answer.path("id").asText()).isEqualTo("c-7");
        assertThat(answer.path("name").asText()).isEqualTo("blink");
        assertThat(answer.path("status").asText()).isEqualTo("done");
        assertThat(answer.path("echo").path("times").asInt()).isEqualTo(3);
    }

    @Test
    void shouldLeaveTheIdOutWhenTheDeviceCannotSeeIt() throws Exception {
        // given an MQTT 3.1.1 command: the payload as sent, whose own "id" field is an argument, not the command id
        byte[] command = "{\"id\":\"lamp-2\"}".getBytes(StandardCharsets.UTF_8);

        JsonNode answer = JSON.readTree(CommandReply.response("blink", Optional.empty(), command, Instant.EPOCH));

        // then the gateway matches it to the oldest unanswered command of that name
        assertThat(answer.has("id")).isFalse();
        assertThat(answer.path("echo").path("id").asText()).isEqualTo("lamp-2");
    }

    @Test
    void shouldReadTheCommandIdFromMqtt5Properties() {
        Mqtt5Publish correlated = Mqtt5Publish.builder()
                .topic("devices/s-1/commands/blink")
                .correlationData("c-9".getBytes(StandardCharsets.UTF_8))
                .userProperties()
                .add("command-id", "c-other")
                .applyUserProperties()
                .build();
        Mqtt5Publish userPropertyOnly = Mqtt5Publish.builder()
                .topic("devices/s-1/commands/blink")
                .userProperties()
                .add("command-id", "c-10")
                .applyUserProperties()
                .build();
        Mqtt5Publish bare =
                Mqtt5Publish.builder().topic("devices/s-1/commands/blink").build();

        assertThat(MqttSensor.commandId(correlated)).contains("c-9");
        assertThat(MqttSensor.commandId(userPropertyOnly)).contains("c-10");
        assertThat(MqttSensor.commandId(bare)).isEmpty();
    }

    @Test
    void shouldAnswerWhenThePayloadIsNotJson() throws Exception {
        JsonNode answer =
                JSON.readTree(CommandReply.response("x", Optional.of("c-1"), new byte[] {1, 2}, Instant.EPOCH));

        assertThat(answer.has("echo")).isFalse();
        assertThat(answer.path("status").asText()).isEqualTo("done");
    }
}
