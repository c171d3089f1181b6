package dev.mecgw.sync.backhaul;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Derives the backhaul state from what the sink sees: acknowledgements, failures and changes stuck in flight.
 * Thread-safe; the sink reports from producer I/O threads while health checks read from others. The entry of the
 * {@code backhaul} area: its static factories build the slot's probe, backlog sampler and disk guard that an
 * application keeps next to each monitor.
 */
public final class BackhaulMonitor {

    private final Clock clock;
    private final Duration downAfter;
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile long lastAckMillis = -1;
    private volatile long lastFailureMillis = -1;
    private volatile long lastProbeOkMillis = -1;
    private volatile long waitingSinceMillis = -1;
    private volatile long ackedCommitMillis = -1;
    private volatile long firstSentCommitMillis = -1;

    /**
     * @param clock the time source
     * @param downAfter how long changes may wait in flight without any acknowledgement before the link counts as down
     */
    public BackhaulMonitor(Clock clock, Duration downAfter) {
        this.clock = clock;
        this.downAfter = downAfter;
    }

    /**
     * @param dataSource the captured database
     * @param slotName the replication slot to watch
     * @return a probe of that slot's backlog in {@code pg_replication_slots}
     */
    public static SlotProbe slotProbe(DataSource dataSource, String slotName) {
        return new PostgresSlotProbe(dataSource, slotName);
    }

    /**
     * @param dataSource the captured database
     * @param slotName the slot whose backlog is estimated
     * @param tables the tables the slot captures, {@code schema.table}
     * @param samples samples kept while a backlog grows (at least 4); beyond it every other old sample is dropped
     * @param clock the time source for the samples
     * @return a sampler of PostgreSQL's cumulative statistics that keeps its state in the database across restarts
     * @throws IllegalArgumentException when {@code samples} is below 4
     */
    public static BacklogSampler backlogSampler(
            DataSource dataSource, String slotName, List<String> tables, int samples, Clock clock) {
        return new PostgresBacklogSampler(dataSource, slotName, tables, new BacklogEstimator(samples), clock);
    }

    /**
     * @param alarmBytes backlog at which the alarm is raised
     * @param bulkCapBytes backlog at which a bulk slot is reset; must be at least {@code alarmBytes}
     * @return the disk policy for replication slots (README "Sync: disk guard")
     * @throws IllegalArgumentException when the cap is below the alarm threshold
     */
    public static DiskGuard diskGuard(long alarmBytes, long bulkCapBytes) {
        return new DiskGuard(alarmBytes, bulkCapBytes);
    }

    /**
     * Called when a change is handed to the transport.
     *
     * @param commitTime when the change was committed at the site
     */
    public void sent(Instant commitTime) {
        if (firstSentCommitMillis < 0) {
            firstSentCommitMillis = commitTime.toEpochMilli();
        }
        if (inFlight.getAndIncrement() == 0) {
            waitingSinceMillis = clock.millis();
        }
    }

    /**
     * Called when the transport acknowledged a change.
     *
     * @param commitTime when the change was committed at the site
     */
    public void acknowledged(Instant commitTime) {
        long now = clock.millis();
        lastAckMillis = now;
        waitingSinceMillis = now;
        ackedCommitMillis = Math.max(ackedCommitMillis, commitTime.toEpochMilli());
        acknowledged.incrementAndGet();
        inFlight.decrementAndGet();
    }

    /**
     * The replication lag: while changes are in flight, the age of the newest change the cloud acknowledged (or of
     * the first change sent, before any acknowledgement), an upper bound of the age of the oldest change the cloud
     * still lacks; zero when nothing is in flight.
     *
     * @return the lag, never negative
     */
    public Duration lag() {
        if (inFlight.get() <= 0) {
            return Duration.ZERO;
        }
        long since = ackedCommitMillis >= 0 ? ackedCommitMillis : firstSentCommitMillis;
        return since < 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, clock.millis() - since));
    }

    /** Called when the transport gave up on a change (it will be sent again). */
    public void failed() {
        lastFailureMillis = clock.millis();
        failures.incrementAndGet();
        inFlight.decrementAndGet();
    }

    /**
     * Called with the outcome of a metadata probe, made while nothing is in flight.
     *
     * @param reachable whether the cloud answered
     */
    public void probed(boolean reachable) {
        if (reachable) {
            lastProbeOkMillis = clock.millis();
        } else {
            lastFailureMillis = clock.millis();
        }
    }

    /** @return the current state */
    public BackhaulState state() {
        long now = clock.millis();
        long lastOk = Math.max(lastAckMillis, lastProbeOkMillis);
        if (lastFailureMillis > lastOk) {
            return BackhaulState.DOWN;
        }
        if (inFlight.get() > 0 && now - waitingSinceMillis > downAfter.toMillis()) {
            return BackhaulState.DOWN;
        }
        return lastOk < 0 ? BackhaulState.UNKNOWN : BackhaulState.UP;
    }

    /** @return when the cloud last acknowledged a change, if ever */
    public Optional<Instant> lastSuccess() {
        long millis = lastAckMillis;
        return millis < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    /** @return changes handed to the transport and not yet acknowledged or failed */
    public long inFlight() {
        return inFlight.get();
    }

    /** @return changes acknowledged since start */
    public long acknowledgedTotal() {
        return acknowledged.get();
    }

    /** @return sends that failed since start */
    public long failuresTotal() {
        return failures.get();
    }
}
