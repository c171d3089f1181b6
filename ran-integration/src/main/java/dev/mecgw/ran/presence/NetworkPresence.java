package dev.mecgw.ran.presence;

import dev.mecgw.ran.event.NetworkEvent;
import dev.mecgw.ran.event.NetworkEventSink;
import dev.mecgw.ran.identity.RegisteredDevice;
import dev.mecgw.ran.identity.SimRegistry;
import dev.mecgw.ran.nef.MonitoringNotification;
import dev.mecgw.ran.nef.MonitoringReport;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Fuses network reports into device presence (issue 7, presence): LOSS_OF_CONNECTIVITY marks the device
 * offline at once and records an event; reachability and cell/location are kept per device. Runs on the
 * thread that delivers the notification (a worker: registry calls block). Thread-safe.
 */
public class NetworkPresence {

    private static final Logger LOG = Logger.getLogger(NetworkPresence.class);

    private final SimRegistry registry;
    private final PresenceSink presence;
    private final NetworkEventSink events;
    private final Map<String, NetworkState> states = new ConcurrentHashMap<>();

    /** Finds devices in {@code registry}, marks them offline in {@code presence}, records to {@code events}. */
    public NetworkPresence(SimRegistry registry, PresenceSink presence, NetworkEventSink events) {
        this.registry = registry;
        this.presence = presence;
        this.events = events;
    }

    /** Applies every report of a TS 29.122 monitoring notification; reports for unknown UEs are skipped. */
    public void onMonitoring(MonitoringNotification notification) {
        for (MonitoringReport report : notification.reports()) {
            Optional<RegisteredDevice> device = deviceOf(report);
            if (device.isEmpty()) {
                LOG.debugf("%s report for a UE not in the registry skipped", report.type());
                continue;
            }
            apply(device.get().id(), report);
        }
    }

    /** Applies a MEC 012 cell change of a device whose UE address the caller subscribed for. */
    public void onCellChange(String deviceId, String cellId, Instant at) {
        states.merge(
                deviceId,
                NetworkState.empty(deviceId, at).located(cellId, null, at),
                (old, fresh) -> old.located(cellId, null, at));
    }

    /**
     * How many devices the network last located in each cell (LOCATION_REPORTING or MEC 012 cell change), by cell
     * id; devices never located are not counted. Reads the in-memory states: O(devices).
     */
    public Map<String, Integer> devicesPerCell() {
        Map<String, Integer> cells = new java.util.TreeMap<>();
        for (NetworkState state : states.values()) {
            if (state.cellId() != null) {
                cells.merge(state.cellId(), 1, Integer::sum);
            }
        }
        return cells;
    }

    /** The latest network state of a device, if any report arrived for it. */
    public Optional<NetworkState> state(String deviceId) {
        return Optional.ofNullable(states.get(deviceId));
    }

    private void apply(String deviceId, MonitoringReport report) {
        Instant at = report.eventTime();
        NetworkState before = states.getOrDefault(deviceId, NetworkState.empty(deviceId, at));
        switch (report.type()) {
            case LOSS_OF_CONNECTIVITY -> {
                states.put(deviceId, before.lost(report.lossOfConnectReason(), at));
                presence.markOffline(deviceId, at);
                Map<String, String> payload = new HashMap<>();
                if (report.lossOfConnectReason() != null) {
                    payload.put(
                            "lossOfConnectReason", report.lossOfConnectReason().toString());
                }
                record(deviceId, "ran.presence.loss-of-connectivity", "warning", at, payload);
            }
            case UE_REACHABILITY -> {
                states.put(deviceId, before.reached(at));
                record(deviceId, "ran.presence.reachable", "info", at, Map.of());
            }
            case LOCATION_REPORTING ->
                states.put(deviceId, before.located(report.cellId(), report.trackingAreaId(), at));
            default -> {}
        }
    }

    private Optional<RegisteredDevice> deviceOf(MonitoringReport report) {
        if (report.externalId() != null) {
            return registry.findByGpsi("extid-" + report.externalId());
        }
        return report.msisdn() == null ? Optional.empty() : registry.findByGpsi("msisdn-" + report.msisdn());
    }

    private void record(String deviceId, String kind, String severity, Instant at, Map<String, String> payload) {
        try {
            events.record(new NetworkEvent(deviceId, kind, severity, at, payload));
        } catch (RuntimeException e) {
            LOG.errorf("cannot record %s for %s: %s", kind, deviceId, e.getMessage());
        }
    }
}
