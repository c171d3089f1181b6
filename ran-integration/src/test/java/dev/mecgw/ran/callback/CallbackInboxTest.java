package dev.mecgw.ran.callback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CallbackInboxTest {

    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final CallbackInbox inbox = new CallbackInbox(URI.create("https://gw.site:8443/ran/callbacks/"));

    @Test
    void shouldAcceptWhenIdAndTokenMatch() {
        // given a destination handed to the network
        String[] path = givenADestination();
        // when a notification arrives on it / then it is accepted and handled
        assertThat(inbox.accept(path[0], path[1], JsonNodeFactory.instance.objectNode()))
                .isEqualTo(CallbackInbox.Outcome.ACCEPTED);
        assertThat(received).hasSize(1);
    }

    @Test
    void shouldRefuseWhenTheTokenIsWrongOrTheDestinationRevoked() {
        // given a destination
        String[] path = givenADestination();
        // when someone guesses the token, or posts after revocation / then it is refused unseen
        assertThat(inbox.accept(path[0], path[1] + "x", null)).isEqualTo(CallbackInbox.Outcome.UNKNOWN);
        assertThat(inbox.accept(path[0], null, null)).isEqualTo(CallbackInbox.Outcome.UNKNOWN);
        assertThat(inbox.accept("nope", path[1], null)).isEqualTo(CallbackInbox.Outcome.UNKNOWN);
        inbox.revoke(URI.create("https://gw.site:8443/ran/callbacks/" + path[0] + "/" + path[1]));
        assertThat(inbox.accept(path[0], path[1], null)).isEqualTo(CallbackInbox.Outcome.UNKNOWN);
        assertThat(received).isEmpty();
    }

    @Test
    void shouldAnswerMalformedWhenTheHandlerRejectsTheBody() {
        // given a handler that rejects bodies
        URI destination = inbox.newDestination(body -> {
            throw new IllegalArgumentException("subscription is required");
        });
        String[] path = inbox.relativePath(destination).split("/");
        // when a body arrives / then it is malformed
        assertThat(inbox.accept(path[0], path[1], null)).isEqualTo(CallbackInbox.Outcome.MALFORMED);
    }

    @Test
    void shouldHandOutUnguessableDistinctUrisWhenAskedTwice() {
        // when two destinations are made / then they differ and carry 256-bit tokens under the base
        URI first = inbox.newDestination(received::add);
        URI second = inbox.newDestination(received::add);
        assertThat(first).isNotEqualTo(second);
        assertThat(first.toString()).startsWith("https://gw.site:8443/ran/callbacks/");
        assertThat(inbox.relativePath(first).split("/")[1]).hasSize(43);
    }

    private String[] givenADestination() {
        return inbox.relativePath(inbox.newDestination(received::add)).split("/");
    }
}
