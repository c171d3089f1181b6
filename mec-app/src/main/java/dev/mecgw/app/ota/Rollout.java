package dev.mecgw.app.ota;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A rollout with its waves and devices: the aggregate {@link RolloutMachine} moves and the store keeps. */
public final class Rollout {

    final String id;
    final RolloutSpec spec;
    final Instant createdAt;
    RolloutState state = RolloutState.RUNNING;
    String reason;
    Instant updatedAt;
    final List<Wave> waves = new ArrayList<>();
    final List<DeviceRollout> adopted = new ArrayList<>();

    public Rollout(String id, RolloutSpec spec, Instant createdAt) {
        this.id = id;
        this.spec = spec;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    /** Rebuilds a stored rollout (its waves are added by the caller). */
    public static Rollout restore(
            String id, RolloutSpec spec, RolloutState state, String reason, Instant createdAt, Instant updatedAt) {
        Rollout rollout = new Rollout(id, spec, createdAt);
        rollout.state = state;
        rollout.reason = reason;
        rollout.updatedAt = updatedAt;
        return rollout;
    }

    public String id() {
        return id;
    }

    public RolloutSpec spec() {
        return spec;
    }

    public RolloutState state() {
        return state;
    }

    /** Why the rollout paused, aborted or succeeded; null while it runs as planned. */
    public String reason() {
        return reason;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public List<Wave> waves() {
        return waves;
    }

    /**
     * Devices adopted after the rollout succeeded (docs/ota.md "Dynamic membership"): each has its own state and
     * none counts in a wave's verdict.
     */
    public List<DeviceRollout> adopted() {
        return adopted;
    }

    /** The device's progress (wave member or adopted), empty when the device is not part of this rollout. */
    public Optional<DeviceRollout> device(String deviceId) {
        return members().filter(d -> d.deviceId.equals(deviceId)).findFirst();
    }

    /** Whether a device row changed since it was loaded or last saved. */
    boolean dirty() {
        return members().anyMatch(DeviceRollout::dirty);
    }

    private Stream<DeviceRollout> members() {
        return Stream.concat(waves.stream().flatMap(w -> w.devices.stream()), adopted.stream());
    }

    /**
     * Devices whose reports the service must read: those still moving (notified to installed) and those that timed
     * out, which are picked up again when they come back.
     */
    public List<DeviceRollout> activeDevices() {
        return members()
                .filter(d -> d.state.touched() && (!d.state.settled() || d.state == DeviceState.TIMED_OUT))
                .toList();
    }
}
