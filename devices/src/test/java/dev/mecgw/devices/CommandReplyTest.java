package dev.mecgw.devices;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CommandReplyTest {

    @Test
    void shouldFindTheCommandNameWhenTheTopicIsACommand() {
        assertThat(CommandReply.commandName("devices/s-1/commands/reboot")).contains("reboot");
        assertThat(CommandReply.commandName("devices/s-1/commands/reboot/response"))
                .isEmpty();
        assertThat(CommandReply.commandName("devices/s-1/twin/desired")).isEmpty();
        assertThat(CommandReply.commandName("devices/s-1/commands/")).isEmpty();
    }

    @Test
    void shouldEchoTheIdAndPayloadWhenAnswering() throws Exception {
        // given a CoAP-style command document
        byte[] command =
                "{\"id\":\"c-7\",\"name\":\"blink\",\"payload\":{\"times\":3}}".getBytes(StandardCharsets.UTF_8);

        // when answered
        JsonNode answer = new ObjectMapper()
                .readTree(CommandReply.response("blink", command, Instant.parse("2026-12-05T15:00:00Z")));

        // then the response names the command and carries its id and arguments
        assertThat(answer.path("id").asText()).isEqualTo("c-7");
        assertThat(answer.path("status").asText()).isEqualTo("done");
        assertThat(answer.path("echo").path("times").asInt()).isEqualTo(3);
        assertThat(CommandReply.responseTopic("s-1", "blink")).isEqualTo("devices/s-1/commands/blink/response");
    }

    @Test
    void shouldAnswerWhenThePayloadIsNotJson() throws Exception {
        JsonNode answer = new ObjectMapper().readTree(CommandReply.response("x", new byte[] {1, 2}, Instant.EPOCH));

        assertThat(answer.has("echo")).isFalse();
        assertThat(answer.path("status").asText()).isEqualTo("done");
    }
}
