package dev.mecgw.ran.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Builds the notification bodies the simulator sends, each as its spec defines it. */
final class SimNotifications {

    /** TS 29.336 loss-of-connectivity reason 7: UE detached / not reachable any more (simulated). */
    static final int LOSS_REASON_DETACHED = 7;
    /** MEC 012 HoStatus 3: handover completed. */
    static final int HO_COMPLETED = 3;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SimNotifications() {}

    /** TS 29.122 {@code MonitoringNotification} with one report. */
    static ObjectNode monitoring(String subscription, String type, SimulatedUe ue, Instant at) {
        ObjectNode body = JSON.objectNode();
        body.put("subscription", subscription);
        ObjectNode report = body.putArray("monitoringEventReports").addObject();
        report.put("monitoringType", type);
        report.put("externalId", ue.externalId());
        report.put("eventTime", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at.atOffset(ZoneOffset.UTC)));
        switch (type) {
            case "LOSS_OF_CONNECTIVITY" -> report.put("lossOfConnectReason", LOSS_REASON_DETACHED);
            case "UE_REACHABILITY" -> report.put("reachabilityType", "DATA");
            case "LOCATION_REPORTING" -> {
                ObjectNode location = report.putObject("locationInfo");
                location.put("cellId", ue.cellId());
                location.put("trackingAreaId", "000001");
            }
            default -> {}
        }
        return body;
    }

    /** TS 29.122 {@code MonitoringNotification} by which the NEF cancels the subscription. */
    static ObjectNode monitoringCancelled(String subscription) {
        ObjectNode body = JSON.objectNode();
        body.put("subscription", subscription);
        body.put("cancelInd", true);
        return body;
    }

    /** TS 29.122 {@code UserPlaneNotificationData} with one event. */
    static ObjectNode userPlane(String transaction, String event) {
        ObjectNode body = JSON.objectNode();
        body.put("transaction", transaction);
        body.putArray("eventReports").addObject().put("event", event);
        return body;
    }

    /** MEC 012 {@code CellChangeNotification} for a completed handover. */
    static ObjectNode cellChange(SimulatedUe ue, String fromCell, Instant at) {
        ObjectNode body = JSON.objectNode();
        body.put("notificationType", "CellChangeNotification");
        associate(body, ue);
        body.put("hoStatus", HO_COMPLETED);
        body.set("srcEcgi", ecgi(fromCell));
        body.putArray("trgEcgi").add(ecgi(ue.cellId()));
        body.set("timeStamp", timeStamp(at));
        return body;
    }

    /** MEC 012 {@code RabEstNotification} for a bearer of the given QCI. */
    static ObjectNode rabEstablished(SimulatedUe ue, int erabId, int qci, Instant at) {
        ObjectNode body = JSON.objectNode();
        body.put("notificationType", "RabEstNotification");
        associate(body, ue);
        body.set("ecgi", ecgi(ue.cellId()));
        body.put("erabId", erabId);
        body.putObject("erabQosParameters").put("qci", qci);
        body.set("timeStamp", timeStamp(at));
        return body;
    }

    /** MEC 011 {@code AppTerminationNotification}. */
    static ObjectNode appTermination(String subscription, String confirmUri, int gracefulSeconds) {
        ObjectNode body = JSON.objectNode();
        body.put("notificationType", "AppTerminationNotification");
        body.put("operationAction", "TERMINATING");
        body.put("maxGracefulTimeout", gracefulSeconds);
        ObjectNode links = body.putObject("_links");
        links.putObject("subscription").put("href", subscription);
        links.putObject("confirmTermination").put("href", confirmUri);
        return body;
    }

    /** MEC 012 / 013 {@code TimeStamp}. */
    static ObjectNode timeStamp(Instant at) {
        ObjectNode stamp = JSON.objectNode();
        stamp.put("seconds", at.getEpochSecond());
        stamp.put("nanoSeconds", at.getNano());
        return stamp;
    }

    private static void associate(ObjectNode body, SimulatedUe ue) {
        ObjectNode id = body.putArray("associateId").addObject();
        id.put("type", 1);
        id.put("value", ue.ipv4());
    }

    private static ObjectNode ecgi(String cellId) {
        ObjectNode ecgi = JSON.objectNode();
        ecgi.put("cellId", cellId);
        ecgi.putObject("plmn").put("mcc", "001").put("mnc", "01");
        return ecgi;
    }
}
