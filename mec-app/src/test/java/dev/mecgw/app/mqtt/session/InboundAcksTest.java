package dev.mecgw.app.mqtt.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order of inbound PUBACK/PUBREC (MQTT 5 section 4.6), whatever order the commits finish in. */
class InboundAcksTest {

    private final List<String> sent = new ArrayList<>();
    private boolean connected = true;
    private final InboundAcks acks = new InboundAcks(() -> connected);

    @Test
    void shouldSendAcknowledgementsInArrivalOrderWhenCommitsFinishOutOfOrder() {
        // given: three publishes awaiting their commits
        InboundAcks.Pending first = acks.expect();
        InboundAcks.Pending second = acks.expect();
        InboundAcks.Pending third = acks.expect();
        // when: the later ones commit first
        acks.ready(third, () -> sent.add("third"));
        acks.ready(second, () -> sent.add("second"));
        // then: nothing leaves before the head of the line
        assertThat(sent).isEmpty();
        assertThat(acks.size()).isEqualTo(3);
        // when
        acks.ready(first, () -> sent.add("first"));
        // then
        assertThat(sent).containsExactly("first", "second", "third");
        assertThat(acks.size()).isZero();
    }

    @Test
    void shouldSendAtOnceWhenAcknowledgementIsHeadOfLine() {
        // given
        InboundAcks.Pending only = acks.expect();
        // when
        acks.ready(only, () -> sent.add("only"));
        // then
        assertThat(sent).containsExactly("only");
    }

    @Test
    void shouldSendNothingWhenClientIsDisconnected() {
        // given
        InboundAcks.Pending pending = acks.expect();
        connected = false;
        // when
        acks.ready(pending, () -> sent.add("lost"));
        // then: the line is emptied, the client resends after reconnecting
        assertThat(sent).isEmpty();
        assertThat(acks.size()).isZero();
    }

    @Test
    void shouldOweNothingWhenNewConnectionClearsTheLine() {
        // given
        acks.expect();
        acks.expect();
        // when
        acks.clear();
        // then
        assertThat(acks.size()).isZero();
    }
}
