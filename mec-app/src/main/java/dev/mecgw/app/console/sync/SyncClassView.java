package dev.mecgw.app.console.sync;

import dev.mecgw.sync.backhaul.BacklogEstimate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One priority class's backlog as the sync screen shows it.
 *
 * @param name {@code critical} or {@code bulk}
 * @param configured whether the class has tables to replicate
 * @param rows changes waiting to reach the cloud (an estimate when {@code complete} is false)
 * @param complete whether {@code rows} counts everything
 * @param oldestAge how long the oldest waiting change has waited
 * @param bytes WAL bytes the class's slot retains, or -1 when unknown
 */
public record SyncClassView(
        String name, boolean configured, long rows, boolean complete, Duration oldestAge, long bytes) {

    static final List<String> CLASSES = List.of("critical", "bulk");

    static SyncClassView of(String name, Optional<BacklogEstimate> estimate, Optional<Long> bytes, Instant now) {
        return estimate.map(
                        e -> new SyncClassView(name, true, e.rows(), e.complete(), e.oldestAge(now), bytes.orElse(-1L)))
                .orElse(new SyncClassView(name, false, 0, true, Duration.ZERO, -1));
    }

    /** How long the oldest waiting change has waited, in whole seconds. */
    public long oldestSeconds() {
        return oldestAge.toSeconds();
    }

    /** The retained WAL for people: {@code 12.3 MiB}, or {@code unknown}. */
    public String size() {
        if (bytes < 0) {
            return "unknown";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
