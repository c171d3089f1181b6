package dev.mecgw.sync.backhaul;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Estimates a slot's backlog in rows and age without reading the slot (Debezium holds it, and decoding a large
 * backlog is expensive). It keeps a small ring of samples, each (time, current WAL position, changes so far), where
 * "changes so far" adds up PostgreSQL's cumulative per-table counters of inserted, updated and deleted rows. The rows
 * pending are the changes counted since the newest sample at or before the slot's confirmed position; the oldest
 * pending change happened after the last sample that still had that count.
 *
 * <p>Accuracy (see docs/sync.md): the counters reach PostgreSQL's statistics up to ~0.5 s after a commit under steady
 * load, and a connection's last changes before it goes idle only when it is next used or closed (PostgreSQL 14);
 * rows from aborted transactions are counted too; a sample interval's worth of already confirmed changes may be
 * counted while the confirmed position is between two samples. Counters are compared per relation: a new partition
 * counts from zero, a dropped one simply stops counting, and a counter that goes backwards (statistics reset, crash
 * recovery) restarts that table's count from its new value, so changes are never counted twice but those before a
 * reset are lost to the estimate. Thread-safe.
 */
final class BacklogEstimator {

    private static final String FORMAT = "backlog-1";

    private final int capacity;
    private final List<Sample> ring = new ArrayList<>();
    private Map<Long, Long> lastCounts;
    private long changes;
    private boolean anchored;
    private volatile BacklogEstimate estimate = BacklogEstimate.NONE;

    /** @param capacity samples kept while a backlog grows (at least 4); beyond it every other old sample is dropped */
    BacklogEstimator(int capacity) {
        if (capacity < 4) {
            throw new IllegalArgumentException("capacity must be at least 4");
        }
        this.capacity = capacity;
    }

    /**
     * Adds a sample and updates {@link #estimate()}.
     *
     * @param at when the counters were read
     * @param walLsn the current WAL position, read after the counters
     * @param counts per relation (table or partition) id, its changes so far as PostgreSQL counts them
     * @param confirmedLsn the slot's confirmed flush position; empty when the slot does not exist (nothing retained)
     * @return the new estimate
     */
    public synchronized BacklogEstimate record(
            Instant at, long walLsn, Map<Long, Long> counts, OptionalLong confirmedLsn) {
        changes += newChanges(counts);
        lastCounts = Map.copyOf(counts);
        append(new Sample(at, walLsn, changes));
        if (confirmedLsn.isEmpty()) {
            ring.subList(0, ring.size() - 1).clear();
            anchored = true;
            estimate = BacklogEstimate.NONE;
            return estimate;
        }
        dropConfirmed(confirmedLsn.getAsLong());
        estimate = estimateFromRing();
        return estimate;
    }

    /** @return the estimate after the latest sample; {@link BacklogEstimate#NONE} before the first */
    public BacklogEstimate estimate() {
        return estimate;
    }

    /** @return samples held now (for tests and diagnostics) */
    public synchronized int samples() {
        return ring.size();
    }

    private long newChanges(Map<Long, Long> counts) {
        if (lastCounts == null) {
            return 0;
        }
        long added = 0;
        for (Map.Entry<Long, Long> count : counts.entrySet()) {
            Long before = lastCounts.get(count.getKey());
            // A new relation (e.g. a new partition) counts from zero; a counter that went back was reset.
            added += before == null || count.getValue() < before ? count.getValue() : count.getValue() - before;
        }
        return added;
    }

    private void append(Sample sample) {
        int size = ring.size();
        // Keep only the first and the last sample of a run with the same count: the first anchors the rows, the
        // last bounds the time of the next change.
        if (size >= 2 && ring.get(size - 1).changes == sample.changes && ring.get(size - 2).changes == sample.changes) {
            ring.set(size - 1, sample);
        } else {
            ring.add(sample);
        }
        if (ring.size() > capacity) {
            thin();
        }
    }

    // Halves the resolution of a long outage instead of growing without bound; keeps the anchor and the newest.
    private void thin() {
        List<Sample> kept = new ArrayList<>(ring.size() / 2 + 2);
        for (int i = 0; i < ring.size(); i++) {
            if (i == 0 || i == ring.size() - 1 || i % 2 == 0) {
                kept.add(ring.get(i));
            }
        }
        ring.clear();
        ring.addAll(kept);
    }

    private void dropConfirmed(long confirmedLsn) {
        int anchor = -1;
        for (int i = 0; i < ring.size() && ring.get(i).walLsn <= confirmedLsn; i++) {
            anchor = i;
        }
        if (anchor >= 0) {
            anchored = true;
            ring.subList(0, anchor).clear();
        }
    }

    private BacklogEstimate estimateFromRing() {
        Sample base = ring.get(0);
        long rows = changes - base.changes;
        if (rows <= 0) {
            return new BacklogEstimate(0, Optional.empty(), anchored);
        }
        Instant oldest = base.at;
        for (int i = 1; i < ring.size() && ring.get(i).changes == base.changes; i++) {
            oldest = ring.get(i).at;
        }
        // Without an anchor the backlog may be older than the first sample; the first sample is all we know.
        return new BacklogEstimate(rows, Optional.of(anchored ? oldest : base.at), anchored);
    }

    /**
     * @return the estimator's state as text for {@link #restore(String)}: after a gateway restart during an outage
     *     the estimate goes on from it instead of starting over as a lower bound
     */
    public synchronized String save() {
        StringBuilder text = new StringBuilder(FORMAT)
                .append('|')
                .append(changes)
                .append('|')
                .append(anchored ? 1 : 0)
                .append('|');
        if (lastCounts != null) {
            lastCounts.forEach((relation, count) ->
                    text.append(relation).append('=').append(count).append(','));
        }
        text.append('|');
        ring.forEach(s -> text.append(s.at.toEpochMilli())
                .append(':')
                .append(s.walLsn)
                .append(':')
                .append(s.changes)
                .append(';'));
        return text.toString();
    }

    /**
     * Takes up a state from {@link #save()}, only before the first sample. Valid only as long as the statistics it
     * counted from are: PostgreSQL keeps them over a clean restart and drops them in crash recovery.
     *
     * @param text the saved state
     * @return whether it was taken up; false when samples exist already or the text is not a saved state
     */
    public synchronized boolean restore(String text) {
        String[] parts = text.split("\\|", -1);
        if (lastCounts != null || parts.length != 5 || !FORMAT.equals(parts[0])) {
            return false;
        }
        try {
            Map<Long, Long> counts = new HashMap<>();
            for (String entry : parts[3].split(",")) {
                if (!entry.isEmpty()) {
                    String[] pair = entry.split("=");
                    counts.put(Long.parseLong(pair[0]), Long.parseLong(pair[1]));
                }
            }
            List<Sample> samples = new ArrayList<>();
            for (String entry : parts[4].split(";")) {
                if (!entry.isEmpty()) {
                    String[] fields = entry.split(":");
                    samples.add(new Sample(
                            Instant.ofEpochMilli(Long.parseLong(fields[0])),
                            Long.parseLong(fields[1]),
                            Long.parseLong(fields[2])));
                }
            }
            changes = Long.parseLong(parts[1]);
            anchored = "1".equals(parts[2]);
            lastCounts = Map.copyOf(counts);
            ring.addAll(samples);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private record Sample(Instant at, long walLsn, long changes) {}
}
