package dev.mecgw.app.mqtt.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {

    private static BrokerMessage givenMessage(String topic, int bytes) {
        return BrokerMessage.fromGateway(topic, new byte[bytes], 1, false);
    }

    @Test
    void shouldDropOldestWhenCountLimitIsExceeded() {
        // given
        OutboundQueue queue = new OutboundQueue(2, 1_000);
        // when
        queue.offer(givenMessage("a", 1), 1, false);
        queue.offer(givenMessage("b", 1), 1, false);
        int dropped = queue.offer(givenMessage("c", 1), 1, false);
        // then
        assertThat(dropped).isEqualTo(1);
        assertThat(queue.poll().message().topic()).isEqualTo("b");
        assertThat(queue.poll().message().topic()).isEqualTo("c");
        assertThat(queue.poll()).isNull();
    }

    @Test
    void shouldDropOldestWhenByteLimitIsExceeded() {
        // given
        OutboundQueue queue = new OutboundQueue(100, 10);
        queue.offer(givenMessage("a", 6), 1, false);
        // when
        int dropped = queue.offer(givenMessage("b", 6), 1, false);
        // then
        assertThat(dropped).isEqualTo(1);
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.bytes()).isEqualTo(6);
    }
}
