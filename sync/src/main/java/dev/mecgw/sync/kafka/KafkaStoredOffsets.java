package dev.mecgw.sync.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The offsets of records whose effect is stored but not yet committed to Kafka, for a consumer of a site's downlink
 * that must ride out a backhaul cut: a commit that fails keeps them for the next try, their effects being durable
 * already (the link is cut: the commit timed out; the broker dropped the member meanwhile: commit failed, rebalance in
 * progress; or the commit was refused). As the consumer's rebalance listener it commits them while the consumer is
 * still a member, and when the partitions come back after the broker dropped the member, seeks past them, so that
 * nothing stored is fetched again. Only one consumer may read the partitions (one site's gateway): its stored offset
 * is then never behind the committed one. Used by the consumer's thread only.
 */
public final class KafkaStoredOffsets implements ConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(KafkaStoredOffsets.class);

    private final Consumer<?, ?> consumer;
    private final String name;
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();

    /**
     * @param consumer the consumer, with auto-commit off; subscribe it with this as its rebalance listener
     * @param name what it consumes, for the log
     */
    public KafkaStoredOffsets(Consumer<?, ?> consumer, String name) {
        this.consumer = consumer;
        this.name = name;
    }

    /** Records that {@code record}'s effect is stored (or that it was skipped for good). */
    public void stored(ConsumerRecord<?, ?> record) {
        uncommitted.put(
                new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
    }

    /**
     * Commits the offsets of the stored records, waiting up to the consumer's {@code default.api.timeout.ms}.
     *
     * @return false when the commit failed: the offsets are kept for the next call
     * @throws WakeupException when the consumer was woken up (it is being closed)
     * @throws InterruptException when the thread was interrupted
     */
    public boolean commit() {
        if (uncommitted.isEmpty()) {
            return true;
        }
        try {
            consumer.commitSync(Map.copyOf(uncommitted));
            uncommitted.clear();
            return true;
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warnf("%s offsets not committed yet (%s); retried", name, e.getMessage());
            return false;
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata stored = uncommitted.get(partition);
            if (stored != null) {
                consumer.seek(partition, stored);
            }
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // Still a member here: the last chance to commit under this generation.
        commit();
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        // The broker dropped this member (session timeout during a cut): nothing can be committed now; the offsets
        // stay for the seek when the partitions come back.
    }
}
