package dev.mecgw.app.console.overview;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The appliance's CPU, memory and disk for the Overview tiles, from the JVM's operating-system bean and the file
 * store of the data directory (where PostgreSQL and the WAL live). Cheap: no command is run.
 */
final class HostStats {

    private final Path dataDir;

    HostStats(Path dataDir) {
        this.dataDir = dataDir;
    }

    HostSnapshot snapshot() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        String cpu = "unknown";
        String memory = "unknown";
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            double load = sun.getCpuLoad();
            cpu = load < 0 ? "unknown" : percent(load);
            long total = sun.getTotalMemorySize();
            memory = used(total - sun.getFreeMemorySize(), total);
        }
        String disk = "unknown";
        boolean full = false;
        try {
            FileStore store = Files.getFileStore(dataDir);
            long total = store.getTotalSpace();
            long used = total - store.getUsableSpace();
            disk = used(used, total);
            full = total > 0 && used >= total * 0.9;
        } catch (IOException e) {
            // The data directory is not there (yet): the tile says unknown.
        }
        return new HostSnapshot(cpu, memory, disk, full);
    }

    private static String used(long used, long total) {
        if (total <= 0) {
            return "unknown";
        }
        double gib = 1024.0 * 1024 * 1024;
        return String.format(
                Locale.ROOT, "%.1f of %.1f GiB (%s)", used / gib, total / gib, percent(used / (double) total));
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", fraction * 100);
    }
}
