package dev.mecgw.app.ota;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One wave of a rollout and its devices; mutated only by {@link RolloutMachine} and the store. */
public final class Wave {

    final int index;
    final String name;
    WaveState state = WaveState.PENDING;
    Instant startedAt;
    Instant endedAt;
    String reason;
    final List<DeviceRollout> devices = new ArrayList<>();

    public Wave(int index, String name) {
        this.index = index;
        this.name = name;
    }

    /** Rebuilds a stored wave (its devices are added by the caller). */
    public static Wave restore(
            int index, String name, WaveState state, Instant startedAt, Instant endedAt, String reason) {
        Wave wave = new Wave(index, name);
        wave.state = state;
        wave.startedAt = startedAt;
        wave.endedAt = endedAt;
        wave.reason = reason;
        return wave;
    }

    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public WaveState state() {
        return state;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    /** Why the wave ended as it did; null while it runs. */
    public String reason() {
        return reason;
    }

    public List<DeviceRollout> devices() {
        return devices;
    }
}
