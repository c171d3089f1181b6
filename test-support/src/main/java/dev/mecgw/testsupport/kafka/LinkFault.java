package dev.mecgw.testsupport.kafka;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** How a backhaul fails, for tests parameterised over both kinds ({@code @EnumSource(LinkFault.class)}). */
public enum LinkFault {
    /** Every connection reset, new ones refused ({@link TcpProxy#cut()}). */
    CUT,
    /** Connections, open and new, carry nothing: clients notice only through their timeouts ({@link TcpProxy#blackHole()}). */
    BLACK_HOLE;

    /**
     * A consumer's timeouts scaled down (6 s session, 2.5 s request, 3 s API; by default 45 s, 30 s and 60 s), set
     * through the pass-through properties an operator sets too, so that a fault outlasting them fits in a short test.
     */
    public static Map<String, String> shortConsumerTimeouts() {
        return Map.of(
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000",
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000",
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "2500",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    }

    /** Fails {@code link} this way; {@link TcpProxy#restore()} ends either. */
    public void apply(TcpProxy link) {
        if (this == CUT) {
            link.cut();
        } else {
            link.blackHole();
        }
    }
}
