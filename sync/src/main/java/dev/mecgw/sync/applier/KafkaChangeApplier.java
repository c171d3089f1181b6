package dev.mecgw.sync.applier;

import dev.mecgw.sync.cdc.ChangeEvent;
import dev.mecgw.sync.kafka.ChangeEventCodec;
import dev.mecgw.sync.kafka.RetryWait;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Consumes the site topics and applies each polled batch through a {@link PostgresChangeApplier}; the consumer
 * offsets are committed only after the database transaction, so a crash in between replays changes that the
 * applier then skips. Only {@link #close()} ends it: a commit that fails (Kafka unreachable for longer than
 * {@code default.api.timeout.ms}, or this member dropped from its group) is left to the next batch's commit or to the
 * replay, a database that cannot be written rewinds the batch, and a refused poll is retried, each after a wait that
 * grows from 0.5 s to 10 s and that {@link #close()} ends at once ({@link RetryWait}). A change the central database
 * refuses for good is skipped and counted by the {@link PostgresChangeApplier} ({@link #refusedTotal()}): it must not
 * hold up its batch. Runs on the thread that calls {@link #run()};
 * {@link #close()} may be called from any thread.
 */
public final class KafkaChangeApplier implements Runnable, AutoCloseable {

    /** Site change topics, {@code <site>.<schema>.<table>}; downlink and internal topics have another shape. */
    public static final Pattern SITE_TOPICS = Pattern.compile("[^._][^.]*\\.[^.]+\\.[^.]+");

    private static final Logger LOG = Logger.getLogger(KafkaChangeApplier.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Consumer<byte[], byte[]> consumer;
    private final PostgresChangeApplier applier;
    private final Pattern topics;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    /** Ends at {@link #close()}: a wait between retries ends at once. */
    private final RetryWait wait = new RetryWait();

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
            int failures = 0;
            while (!closed) {
                failures = applyNext(failures) ? 0 : failures + 1;
            }
        } catch (WakeupException | InterruptException | InterruptedException e) {
            // close() woke the poll or the wait: leave the loop
        } catch (RuntimeException e) {
            // A defect (the consumer misused), not Kafka or the database: their failures are retried.
            LOG.errorf(e, "cloud applier stopped: %s", e.getMessage());
        } finally {
            consumer.close();
            applier.close();
        }
    }

    /**
     * Polls and applies one batch; after a failure, waits before the next try.
     *
     * @return false when the poll or the database failed
     */
    private boolean applyNext(int failures) throws InterruptedException {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(POLL);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            // Not an outage (poll rides those out): e.g. credentials or ACLs refused; nothing was fetched.
            LOG.errorf("cloud applier cannot poll (%s); retrying", e.getMessage());
            wait.pause(failures);
            return false;
        }
        if (records.isEmpty()) {
            return true;
        }
        try {
            applyAndCommit(records);
            return true;
        } catch (SQLException e) {
            // The central database is away: poll the same records again once it is back.
            LOG.warnf("cloud applier cannot write (%s); retrying", e.getMessage());
            rewind(records);
            wait.pause(failures);
            return false;
        }
    }

    /** Seeks back to the first record of the batch in each of its partitions: no broker round trip, for an outage. */
    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).get(0).offset());
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
        applied.addAndGet(result.applied());
        skipped.addAndGet(result.skipped());
        refused.addAndGet(result.refused());
        try {
            consumer.commitSync();
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            // The database already holds the batch. Its offsets go with the next commit (a timeout: the link to
            // Kafka is down), or, if this member lost its partitions meanwhile, whoever gets them replays the batch
            // and skips it by LSN.
            LOG.warnf("cloud applier offsets not committed (%s); replay will be skipped", e.getMessage());
        }
    }

    /** @return changes written since start */
    public long appliedTotal() {
        return applied.get();
    }

    /** @return replayed or outdated changes skipped since start */
    public long skippedTotal() {
        return skipped.get();
    }

    /** @return changes the central database refused for good and that were skipped, since start */
    public long refusedTotal() {
        return refused.get();
    }

    @Override
    public void close() {
        closed = true;
        wait.release();
        consumer.wakeup();
    }
}
