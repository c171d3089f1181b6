package dev.mecgw.app.southbound.iec104;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@link LinkTimers} on a virtual clock that only {@link #advance(Duration)} moves: t1 = 15 s passes at once. */
final class VirtualTimers implements LinkTimers {

    private final List<Task> tasks = new ArrayList<>();
    private long now;

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public Runnable schedule(Duration delay, Runnable task) {
        Task t = new Task(now + delay.toMillis(), task);
        tasks.add(t);
        return () -> tasks.remove(t);
    }

    /** Moves the clock, running due tasks in time order (tasks they schedule run too when due). */
    void advance(Duration by) {
        long until = now + by.toMillis();
        while (true) {
            Task next = tasks.stream()
                    .filter(t -> t.at <= until)
                    .min(Comparator.comparingLong(t -> t.at))
                    .orElse(null);
            if (next == null) {
                break;
            }
            tasks.remove(next);
            now = next.at;
            next.task.run();
        }
        now = until;
    }

    private record Task(long at, Runnable task) {}
}
