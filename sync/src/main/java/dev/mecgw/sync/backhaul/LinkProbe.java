package dev.mecgw.sync.backhaul;

import java.time.Duration;

/**
 * Asks the cloud whether it answers, so that the backhaul state stays current while no change is in flight (a
 * producer only notices a dead link when it has something to send); the result goes to
 * {@link BackhaulMonitor#probed}. {@code kafka.KafkaChangeSink.linkProbe} builds the Kafka one.
 */
public interface LinkProbe extends AutoCloseable {

    /**
     * Blocks for at most {@code timeout}.
     *
     * @param timeout how long to wait for an answer
     * @return whether the cloud answered within the timeout
     * @throws InterruptedException when interrupted while waiting
     */
    boolean reachable(Duration timeout) throws InterruptedException;

    /** Releases the probe's client; never throws. */
    @Override
    void close();
}
