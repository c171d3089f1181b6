package dev.mecgw.sync.kafka;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The loop of a site's consumer that stores each record's effect locally before its offset is committed (the
 * downlink, the model downlink). Only {@link #close()} ends it:
 *
 * <ul>
 *   <li>a backhaul cut does not: records already fetched are still stored, their offsets wait in
 *       {@link KafkaStoredOffsets} and are committed once the link is back (or skipped by a seek when the broker
 *       dropped the consumer from its group meanwhile);
 *   <li>a store failure that a retry can fix is retried, and so is a poll the broker refuses (credentials, ACLs), each
 *       after a {@link RetryWait} that {@link #close()} ends at once;
 *   <li>a record the store refuses for good ({@link StoreRefusal}) is logged at ERROR, counted
 *       ({@link #refusedTotal()}) and skipped, as is a malformed one (WARN) or one whose store fails otherwise (ERROR,
 *       a defect): retrying cannot help, and must not hold up the records behind it.
 * </ul>
 *
 * Runs on the thread calling {@link #run()}; {@link #close()} may be called from any thread.
 */
public final class KafkaRecordLoop implements Runnable, AutoCloseable {

    /** Stores the effect of one record. */
    @FunctionalInterface
    public interface RecordStore {
        /**
         * Stores the record's effect durably before returning; a record stored before must change nothing.
         *
         * @param record the record
         * @throws SQLException when the store failed and nothing of the record is stored: retried, unless
         *     {@link StoreRefusal#isPermanent permanent}
         * @throws IllegalArgumentException when the record is malformed: skipped
         */
        void store(ConsumerRecord<byte[], byte[]> record) throws SQLException;
    }

    private static final Logger LOG = Logger.getLogger(KafkaRecordLoop.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final String name;
    private final RecordStore store;
    private final KafkaStoredOffsets offsets;
    private final RetryWait wait = new RetryWait();
    private final AtomicLong refused = new AtomicLong();

    private volatile boolean closed;

    /**
     * @param consumer a consumer with auto-commit off; owned and closed by this loop
     * @param topic the topic to consume
     * @param name what it consumes, for the log
     * @param store stores each record's effect
     */
    public KafkaRecordLoop(Consumer<byte[], byte[]> consumer, String topic, String name, RecordStore store) {
        this.consumer = consumer;
        this.topic = topic;
        this.name = name;
        this.store = store;
        this.offsets = new KafkaStoredOffsets(consumer, name);
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), offsets);
            int pollFailures = 0;
            while (!closed) {
                // While commits fail (the link is down), records already fetched are still stored, without waiting
                // for a commit timeout after each one.
                boolean committing = offsets.commit();
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(POLL);
                    pollFailures = 0;
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (KafkaException e) {
                    // Not a cut (poll rides those out): e.g. credentials or ACLs refused. Nothing was fetched, so
                    // nothing is skipped; an operator may fix it while the gateway runs.
                    LOG.errorf("%s consumer cannot poll %s (%s); retrying", name, topic, e.getMessage());
                    wait.pause(pollFailures++);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (closed) {
                        // A record left unstored by close() (its store was down) must stay the partition's next:
                        // storing a later one here would let the commit on close skip it.
                        break;
                    }
                    storeUntilDone(record);
                    committing = committing && offsets.commit();
                }
            }
        } catch (WakeupException | InterruptException | InterruptedException e) {
            // close() was called
        } catch (RuntimeException e) {
            // A defect (the consumer misused), not the link or the store: their failures are retried.
            LOG.errorf(e, "%s consumer stopped: %s", name, e.getMessage());
        } finally {
            consumer.close();
        }
    }

    /** Stores the record, retrying what a retry can fix, until it is stored, skipped for good, or the loop closed. */
    private void storeUntilDone(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        for (int failures = 0; !closed; failures++) {
            try {
                store.store(record);
            } catch (SQLException e) {
                if (!StoreRefusal.isPermanent(e)) {
                    LOG.warnf("%s record %s not stored yet (%s); retrying", name, at(record), StoreRefusal.describe(e));
                    wait.pause(failures);
                    continue;
                }
                refused.incrementAndGet();
                LOG.errorf(
                        "%s record %s refused by the store for good (%s); skipped",
                        name, at(record), StoreRefusal.describe(e));
            } catch (IllegalArgumentException e) {
                LOG.warnf("skipping malformed %s record %s: %s", name, at(record), e.getMessage());
            } catch (RuntimeException e) {
                // A defect in the store, or a listener that broke its contract after the store: retrying the same
                // record would fail the same way.
                LOG.errorf(e, "skipping %s record %s: %s", name, at(record), e.getMessage());
            }
            offsets.stored(record);
            return;
        }
    }

    private static String at(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** @return records the store refused for good and that were skipped, since start */
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
