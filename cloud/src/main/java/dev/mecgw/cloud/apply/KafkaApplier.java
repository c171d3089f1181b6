package dev.mecgw.cloud.apply;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * One applier instance: consumes every site's change topics ({@code <site>.<schema>.<table>}) and the heartbeats,
 * and applies each poll batch in one database transaction; the consumer offsets are committed after the database
 * commit. A crash in between replays the batch, which the ordering rule turns into no-ops: exactly-once effect by
 * idempotence, also with several instances of one consumer group sharing the partitions and rebalancing. Runs on
 * the thread that calls {@link #run()}; the other methods are thread-safe.
 */
public final class KafkaApplier implements Runnable, AutoCloseable {

    /** Site change topics and the heartbeat topic; downlink ({@code <site>.downlink}) and internal topics differ. */
    public static final Pattern TOPICS = Pattern.compile("[^._][^.]*\\.[^.]+\\.[^.]+|mecgw\\.heartbeats");

    private static final Logger LOG = Logger.getLogger(KafkaApplier.class);

    /** Where the loop is. */
    public enum State {
        /** Not yet polling. */
        STARTING,
        /** Polling and applying. */
        RUNNING,
        /** The database failed; the batch is retried. */
        RETRYING,
        /** Closed or failed for good. */
        STOPPED
    }

    private final Consumer<byte[], byte[]> consumer;
    private final DataSource dataSource;
    private final MirrorWriter writer = new MirrorWriter(new MirrorCatalog());
    private final Duration retry;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong unmapped = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicInteger assigned = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile State state = State.STARTING;

    /**
     * @param consumer a consumer with auto-commit off; owned and closed by this applier
     * @param dataSource the cloud database
     * @param retry the pause before a batch is retried after a database failure
     */
    public KafkaApplier(Consumer<byte[], byte[]> consumer, DataSource dataSource, Duration retry) {
        this.consumer = consumer;
        this.dataSource = dataSource;
        this.retry = retry;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(TOPICS, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // Nothing to flush: every batch is committed to the database before the next poll.
                    assigned.addAndGet(-partitions.size());
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned.addAndGet(partitions.size());
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    assigned.addAndGet(-partitions.size());
                }
            });
            state = State.RUNNING;
            while (closing.getCount() > 0) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    applyOrRewind(records);
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll: leave the loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "cloud applier stopped: %s", e.getMessage());
        } finally {
            state = State.STOPPED;
            consumer.close();
        }
    }

    private void applyOrRewind(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        try {
            applyAndCommit(records);
            state = State.RUNNING;
        } catch (SQLException e) {
            // The database is away or failed: poll the same records again after a pause.
            state = State.RETRYING;
            LOG.warnf("cloud applier cannot write (SQLSTATE %s); retrying in %s", e.getSQLState(), retry);
            rewind();
            closing.await(retry.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void applyAndCommit(ConsumerRecords<byte[], byte[]> records) throws SQLException {
        List<Change> changes = new ArrayList<>(records.count());
        List<Heartbeat> beats = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            decode(record, changes, beats);
        }
        ApplyResult result;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                result = writer.apply(connection, changes, beats);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
        try {
            consumer.commitSync();
        } catch (RebalanceInProgressException | CommitFailedException e) {
            // The database already holds the batch; whoever gets the partitions replays it as no-ops.
            LOG.debugf("offsets not committed (%s); the replay will be skipped by the ordering rule", e.getMessage());
        }
        applied.addAndGet(result.applied());
        skipped.addAndGet(result.skipped());
        unmapped.addAndGet(result.unmapped());
        heartbeats.addAndGet(result.heartbeats());
    }

    private void decode(ConsumerRecord<byte[], byte[]> record, List<Change> changes, List<Heartbeat> beats) {
        try {
            if (HeartbeatReader.TOPIC.equals(record.topic())) {
                String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                Heartbeat beat = HeartbeatReader.read(key, record.value());
                if (beat != null) {
                    beats.add(beat);
                }
                return;
            }
            Change change = ChangeReader.read(record.topic(), record.key(), record.value());
            if (change != null) {
                changes.add(change);
            }
        } catch (IllegalArgumentException e) {
            rejected.incrementAndGet();
            LOG.warnf(
                    "skipping undecodable record %s-%d@%d: %s",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
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

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** @return the loop's state */
    public State state() {
        return state;
    }

    /** @return partitions this instance owns now */
    public int assignedPartitions() {
        return assigned.get();
    }

    /** @return changes written since start */
    public long appliedTotal() {
        return applied.get();
    }

    /** @return replayed or outdated changes skipped since start */
    public long skippedTotal() {
        return skipped.get();
    }

    /** @return changes kept whole in {@code unmapped_rows} since start */
    public long unmappedTotal() {
        return unmapped.get();
    }

    /** @return undecodable records skipped since start */
    public long rejectedTotal() {
        return rejected.get();
    }

    /** @return heartbeats recorded since start */
    public long heartbeatsTotal() {
        return heartbeats.get();
    }

    @Override
    public void close() {
        closing.countDown();
        consumer.wakeup();
    }
}
