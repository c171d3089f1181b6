package dev.mecgw.sync.applier;

import dev.mecgw.sync.cdc.ChangeEvent;
import dev.mecgw.sync.kafka.ChangeEventCodec;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Consumes the site topics and applies each polled batch through a {@link PostgresChangeApplier}; the consumer
 * offsets are committed only after the database transaction, so a crash in between replays changes that the
 * applier then skips. Runs on the thread that calls {@link #run()}; {@link #close()} may be called from any thread.
 */
public final class KafkaChangeApplier implements Runnable, AutoCloseable {

    /** Site change topics, {@code <site>.<schema>.<table>}; downlink and internal topics have another shape. */
    public static final Pattern SITE_TOPICS = Pattern.compile("[^._][^.]*\\.[^.]+\\.[^.]+");

    private static final Logger LOG = Logger.getLogger(KafkaChangeApplier.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Consumer<byte[], byte[]> consumer;
    private final PostgresChangeApplier applier;
    private final Pattern topics;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param consumer a consumer with auto-commit off; owned and closed by this applier
     * @param applier the database side; owned and closed by this applier
     * @param topics the topics to subscribe to
     */
    public KafkaChangeApplier(Consumer<byte[], byte[]> consumer, PostgresChangeApplier applier, Pattern topics) {
        this.consumer = consumer;
        this.applier = applier;
        this.topics = topics;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(topics);
            while (!closed) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    applyOrRewind(records);
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll: leave the loop
        } catch (Exception e) {
            LOG.errorf(e, "cloud applier stopped: %s", e.getMessage());
        } finally {
            consumer.close();
            applier.close();
        }
    }

    private void applyOrRewind(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        try {
            applyAndCommit(records);
        } catch (SQLException e) {
            // The central database is away: poll the same records again once it is back.
            LOG.warnf("cloud applier cannot write (%s); retrying", e.getMessage());
            rewind();
            Thread.sleep(RETRY.toMillis());
        }
    }

    private void rewind() {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        for (TopicPartition partition : assigned) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, offset);
            }
        }
    }

    private void applyAndCommit(ConsumerRecords<byte[], byte[]> records) throws SQLException {
        List<ChangeEvent> events = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.value() == null) {
                // a tombstone for log compaction after a delete: the delete itself came before it
                continue;
            }
            try {
                events.add(ChangeEventCodec.decode(record.key(), record.value()));
            } catch (IllegalArgumentException e) {
                LOG.warnf(
                        "skipping undecodable record %s-%d@%d: %s",
                        record.topic(), record.partition(), record.offset(), e.getMessage());
            }
        }
        ApplyResult result = applier.apply(events);
        try {
            consumer.commitSync();
        } catch (RebalanceInProgressException | CommitFailedException e) {
            // The database already holds the batch; whoever gets the partitions replays it and skips it by LSN.
            LOG.debugf("cloud applier offsets not committed (%s); replay will be skipped", e.getMessage());
        }
        applied.addAndGet(result.applied());
        skipped.addAndGet(result.skipped());
    }

    /** @return changes written since start */
    public long appliedTotal() {
        return applied.get();
    }

    /** @return replayed or outdated changes skipped since start */
    public long skippedTotal() {
        return skipped.get();
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
    }
}
