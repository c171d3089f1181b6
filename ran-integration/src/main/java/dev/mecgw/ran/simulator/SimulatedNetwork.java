package dev.mecgw.ran.simulator;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * State of the simulated 5G core and MEC platform: UEs, subscriptions, QoS sessions, and the events
 * scenarios raise. The routes read and change it; each event notifies the matching subscribers.
 * Thread-safe.
 */
final class SimulatedNetwork {

    /** A monitoring subscription: for one UE ({@code externalId}) or a group. */
    record MonitoringSub(String self, String type, String externalId, String groupId, URI destination) {}

    /** An AsSessionWithQoS session. */
    record QosSession(
            String self, String ueIpv4, URI destination, com.fasterxml.jackson.databind.node.ObjectNode resource) {}

    /** A MEC subscription (RNIS or app termination); {@code ueIpv4} or {@code qci} filter when set. */
    record MecSub(String self, String type, URI callback, String ueIpv4, Integer qci) {}

    final Map<String, SimulatedUe> ues = new ConcurrentHashMap<>();
    final Map<String, MonitoringSub> monitoring = new ConcurrentHashMap<>();
    final Map<String, QosSession> qosSessions = new ConcurrentHashMap<>();
    final Map<String, MecSub> mecSubs = new ConcurrentHashMap<>();
    final Map<String, com.fasterxml.jackson.databind.JsonNode> services = new ConcurrentHashMap<>();
    final Set<String> refusedQos = ConcurrentHashMap.newKeySet();
    final Set<String> readyApps = ConcurrentHashMap.newKeySet();
    final AtomicInteger qosUnavailable = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger erabIds = new AtomicInteger(5);
    private final SimNotifier notifier;
    private final Clock clock;

    SimulatedNetwork(SimNotifier notifier, Clock clock) {
        this.notifier = notifier;
        this.clock = clock;
    }

    String newId() {
        return Long.toString(ids.incrementAndGet());
    }

    Optional<SimulatedUe> ueByExternalId(String externalId) {
        return ues.values().stream()
                .filter(ue -> ue.externalId().equals(externalId))
                .findFirst();
    }

    void attach(SimulatedUe ue) {
        SimulatedUe attached = ue.withConnected(true);
        ues.put(ue.ipv4(), attached);
        notifyMonitoring(attached, "UE_REACHABILITY");
        notifyMonitoring(attached, "LOCATION_REPORTING");
        // Default bearer, QCI 9 (TS 23.203 table 6.1.7).
        notifyRab(attached, 9);
    }

    void moveToCell(String ipv4, String cellId) {
        SimulatedUe before = require(ipv4);
        SimulatedUe after = before.inCell(cellId);
        ues.put(ipv4, after);
        notifyMonitoring(after, "LOCATION_REPORTING");
        for (MecSub sub : mecSubs.values()) {
            if (sub.type().equals("CellChangeSubscription") && ipv4.equals(sub.ueIpv4())) {
                notifier.post(sub.callback(), SimNotifications.cellChange(after, before.cellId(), clock.instant()));
            }
        }
    }

    void loseConnectivity(String ipv4) {
        SimulatedUe ue = require(ipv4).withConnected(false);
        ues.put(ipv4, ue);
        notifyMonitoring(ue, "LOSS_OF_CONNECTIVITY");
        for (QosSession session : List.copyOf(qosSessions.values())) {
            if (session.ueIpv4().equals(ipv4)) {
                notifier.post(session.destination(), SimNotifications.userPlane(session.self(), "SESSION_TERMINATION"));
            }
        }
    }

    void regainConnectivity(String ipv4) {
        SimulatedUe ue = require(ipv4).withConnected(true);
        ues.put(ipv4, ue);
        notifyMonitoring(ue, "UE_REACHABILITY");
    }

    /** The NEF cancels every monitoring subscription (TS 29.122 clause 5.3.2.3.2, {@code cancelInd}). */
    void cancelMonitoring() {
        for (Map.Entry<String, MonitoringSub> entry : List.copyOf(monitoring.entrySet())) {
            if (monitoring.remove(entry.getKey()) != null) {
                notifier.post(
                        entry.getValue().destination(),
                        SimNotifications.monitoringCancelled(entry.getValue().self()));
            }
        }
    }

    void qosGranted(QosSession session, int qci) {
        SimulatedUe ue = ues.get(session.ueIpv4());
        if (ue != null) {
            notifier.post(
                    session.destination(),
                    SimNotifications.userPlane(session.self(), "SUCCESSFUL_RESOURCES_ALLOCATION"));
            notifyRab(ue, qci);
        }
    }

    void requestTermination(String confirmUri) {
        for (MecSub sub : mecSubs.values()) {
            if (sub.type().equals("AppTerminationNotificationSubscription")) {
                notifier.post(sub.callback(), SimNotifications.appTermination(sub.self(), confirmUri, 10));
            }
        }
    }

    private void notifyMonitoring(SimulatedUe ue, String type) {
        for (MonitoringSub sub : monitoring.values()) {
            boolean forUe = ue.externalId().equals(sub.externalId())
                    || (sub.groupId() != null && sub.groupId().equals(ue.groupId()));
            if (forUe && sub.type().equals(type)) {
                notifier.post(sub.destination(), SimNotifications.monitoring(sub.self(), type, ue, clock.instant()));
            }
        }
    }

    private void notifyRab(SimulatedUe ue, int qci) {
        int erabId = erabIds.incrementAndGet();
        for (MecSub sub : mecSubs.values()) {
            if (sub.type().equals("RabEstSubscription") && sub.qci() != null && sub.qci() == qci) {
                notifier.post(sub.callback(), SimNotifications.rabEstablished(ue, erabId, qci, clock.instant()));
            }
        }
    }

    private SimulatedUe require(String ipv4) {
        SimulatedUe ue = ues.get(ipv4);
        if (ue == null) {
            throw new IllegalArgumentException("no UE attached with address " + ipv4);
        }
        return ue;
    }
}
