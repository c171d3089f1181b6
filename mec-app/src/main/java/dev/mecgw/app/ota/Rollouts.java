package dev.mecgw.app.ota;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.problem.GatewayException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Firmware rollouts to devices (issue 18), the OTA area's entry class built by {@code ota.app}: creates rollouts,
 * applies operator actions and, on every {@link #tick}, feeds the devices' reported firmware and the clock to the
 * {@link RolloutMachine}. Each step (its desired twins, the rollout, its events) is one transaction, announced to
 * the devices after its commit, and every rollout is loaded from PostgreSQL each time, so a restarted gateway goes on exactly where it stopped. Calls are
 * serialized (one lock); blocking.
 */
public class Rollouts {

    private static final Logger LOG = Logger.getLogger(Rollouts.class);

    private final PostgresRolloutStore store;
    private final RolloutMachine machine;
    private final RolloutPlanner planner;
    private final TwinFirmware twin;
    private final EventLog events;
    private final ObjectMapper json;

    public Rollouts(
            PostgresRolloutStore store,
            RolloutMachine machine,
            RolloutPlanner planner,
            TwinFirmware twin,
            EventLog events,
            ObjectMapper json) {
        this.store = store;
        this.machine = machine;
        this.planner = planner;
        this.twin = twin;
        this.events = events;
        this.json = json;
    }

    /**
     * Validates, stores and starts a rollout: its first wave's devices are notified at once. The rollout, every
     * desired twin of its first wave and every event are one transaction: durable when this returns, however many
     * devices the wave has (issue 18: one commit per device made 1,000 devices take 35 s).
     */
    public synchronized Rollout create(RolloutRequest request) {
        Rollout rollout = planner.plan(request);
        store.inTransaction(() -> {
            store.insert(rollout);
            events.record(
                    null,
                    "rollout.created",
                    "info",
                    Map.of(
                            "rollout",
                            rollout.id(),
                            "artifact",
                            rollout.spec().artifact(),
                            "version",
                            rollout.spec().version()));
            apply(rollout, machine.start(rollout));
        });
        return rollout;
    }

    public Rollout get(String id) {
        return store.find(id).orElseThrow(() -> GatewayException.notFound("Rollout " + id));
    }

    /** The public key devices are provisioned with to verify firmware signatures (docs/ota.md). */
    public String signingKey() {
        return planner.signingKey();
    }

    public List<Rollout> list(int limit) {
        return store.recent(limit);
    }

    public synchronized Rollout pause(String id) {
        return act(id, r -> machine.pause(r, "paused by operator"));
    }

    public synchronized Rollout resume(String id) {
        return act(id, machine::resume);
    }

    public synchronized Rollout abort(String id) {
        return act(id, r -> machine.abort(r, "aborted by operator"));
    }

    public synchronized Rollout retryFailed(String id) {
        return act(id, machine::retryFailed);
    }

    /**
     * Reads the reports of every moving device, then applies timeouts and health gates; running rollouts take new
     * matching devices, succeeded ones adopt them (docs/ota.md "Dynamic membership"). Called by the scheduler.
     */
    public synchronized void tick() {
        for (Rollout rollout : store.active()) {
            RolloutSpec spec = rollout.spec();
            advance(rollout, step -> {
                for (String joined : store.matchingDevices(spec.selectorType(), spec.selectorLabels())) {
                    step.addAll(machine.join(rollout, joined));
                }
            });
        }
        Map<String, List<String>> late = store.lateMembers();
        Map<String, Map<String, PostgresRolloutStore.AdoptedWatch>> moving = store.movingAdopted();
        Set<String> adopting = new LinkedHashSet<>(moving.keySet());
        adopting.addAll(late.keySet());
        for (String id : adopting) {
            Map<String, PostgresRolloutStore.AdoptedWatch> watched = moving.getOrDefault(id, Map.of());
            store.find(id)
                    .ifPresent(rollout -> advance(rollout, step -> {
                        List<String> devices = late.getOrDefault(id, List.of());
                        Map<String, FirmwareReport> running = twin.reportedAll(devices);
                        for (String deviceId : devices) {
                            FirmwareReport report = running.get(deviceId);
                            step.addAll(machine.adopt(rollout, deviceId, report == null ? null : report.version()));
                        }
                        watched.forEach((deviceId, watch) -> {
                            if (watch.newerRollout() != null) {
                                step.addAll(machine.supersede(rollout, deviceId, watch.newerRollout()));
                            }
                        });
                    }));
        }
    }

    /**
     * One rollout's tick: {@code members} first, then its devices' reports, timeouts and health gates. The machine
     * records which report a device timed out on (its twin's {@code reported_version}, saved in the tick's
     * transaction, or on its own when the tick changed nothing else): only a later one brings it back, and a
     * timed-out adopted device has its settled rollout loaded again only then (the store compares the two).
     */
    private void advance(Rollout rollout, Consumer<Step> members) {
        try {
            // Everything one tick changes in a rollout is saved in one transaction, however many devices moved.
            Step step = new Step();
            members.accept(step);
            List<String> moving = rollout.activeDevices().stream()
                    .map(DeviceRollout::deviceId)
                    .toList();
            Map<String, FirmwareReport> reports = twin.reportedAll(moving);
            for (String deviceId : moving) {
                FirmwareReport report = reports.get(deviceId);
                if (report != null) {
                    step.addAll(machine.report(rollout, deviceId, report));
                }
            }
            step.addAll(machine.tick(rollout));
            apply(rollout, step);
        } catch (RuntimeException e) {
            // One broken rollout must not stop the others; the next tick tries again from its stored state.
            LOG.errorf(e, "Rollout %s: tick failed", rollout.id());
        }
    }

    private Rollout act(String id, Function<Rollout, Step> action) {
        Rollout rollout = get(id);
        apply(rollout, action.apply(rollout));
        return rollout;
    }

    /**
     * Writes the desired twins the step asks for, saves the rollout and records every transition as an event, all in
     * one transaction (joining the caller's); the devices hear of their new desired twin once it is committed.
     */
    private void apply(Rollout rollout, Step step) {
        if (!step.changed()) {
            if (rollout.dirty()) {
                // Nothing moved, but a device row changed (a report seen): no event, no desired twin.
                store.save(rollout);
            }
            return;
        }
        store.inTransaction(() -> {
            Map<String, JsonNode> writes = new LinkedHashMap<>();
            Set<String> notified = new HashSet<>();
            for (Effect effect : step.effects()) {
                String deviceId = effect.deviceId();
                if (effect.kind() == Effect.Kind.NOTIFY) {
                    writes.put(deviceId, firmware(rollout));
                    notified.add(deviceId);
                } else if (notified.remove(deviceId)) {
                    // Notified and rolled back within this step: the desired twin stays as it is.
                    writes.remove(deviceId);
                } else {
                    writes.put(deviceId, twin.previousObject(effect.previousFirmware()));
                }
            }
            TwinFirmware.Written written = twin.writeAll(writes);
            // Read after the write, in its transaction: a report stored later is one the device sent after it was
            // (re)notified (docs/ota.md "Which report counts").
            Map<String, FirmwareReport> seen = notified.isEmpty() ? Map.of() : twin.reportedAll(notified);
            for (String deviceId : writes.keySet()) {
                if (!written.previous().containsKey(deviceId)) {
                    // A device deleted meanwhile: it will time out (notify) or has nothing to restore.
                    LOG.warnf("Rollout %s: device %s is not registered", rollout.id(), deviceId);
                } else if (notified.contains(deviceId)) {
                    notified(
                            rollout,
                            rollout.device(deviceId).orElseThrow(),
                            written.previous().get(deviceId),
                            seen);
                }
            }
            store.save(rollout);
            events.recordAll(step.transitions().stream().map(Rollouts::event).toList());
            store.afterCommit(() -> twin.announce(written.twins()));
        });
    }

    /**
     * Records what the write that notified the device found: the firmware object a rollback restores, unless it is this
     * rollout's own (a device notified again, after a retry, keeps the one from before the rollout), and how far its
     * firmware report had got.
     */
    private void notified(Rollout rollout, DeviceRollout device, String replaced, Map<String, FirmwareReport> seen) {
        if (!rollout.id().equals(rolloutOf(replaced))) {
            device.previousFirmware(replaced);
        }
        FirmwareReport report = seen.get(device.deviceId());
        device.notifiedAfter(report == null ? null : report.reportedVersion());
    }

    /** The {@code rollout} a stored desired firmware object names; null when none or unreadable. */
    private String rolloutOf(String firmwareJson) {
        if (firmwareJson == null) {
            return null;
        }
        try {
            JsonNode rollout = json.readTree(firmwareJson).path("rollout");
            return rollout.isTextual() ? rollout.asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static EventLog.Entry event(Transition t) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("rollout", t.rolloutId());
        payload.put("scope", t.scope());
        payload.put("subject", t.subject());
        payload.put("from", t.from());
        payload.put("to", t.to());
        payload.put("reason", t.reason());
        boolean bad = t.to().equals("failed") || t.to().equals("timed-out") || t.to().equals("aborted");
        return new EventLog.Entry(
                t.scope().equals("device") ? t.subject() : null,
                "rollout.transition",
                bad ? "warning" : "info",
                payload);
    }

    /** The desired firmware object (docs/ota.md). */
    ObjectNode firmware(Rollout rollout) {
        RolloutSpec spec = rollout.spec();
        ObjectNode firmware = json.createObjectNode();
        firmware.put("name", spec.artifact());
        firmware.put("version", spec.version());
        firmware.put("size", spec.size());
        firmware.put("sha256", spec.sha256());
        firmware.put("signature", spec.signature());
        firmware.putArray("uris").add("/fw/" + spec.artifact());
        firmware.put("rollout", rollout.id());
        return firmware;
    }
}
