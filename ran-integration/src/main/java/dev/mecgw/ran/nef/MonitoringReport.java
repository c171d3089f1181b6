package dev.mecgw.ran.nef;

import java.time.Instant;

/**
 * One TS 29.122 {@code MonitoringEventReport}, reduced to what the gateway uses. Fields not carried by the
 * report are null.
 *
 * @param type the monitoring type reported
 * @param externalId external identifier of the UE, without the {@code extid-} prefix
 * @param msisdn MSISDN of the UE, digits only
 * @param lossOfConnectReason TS 29.336 loss-of-connectivity reason code
 * @param reachabilityType {@code DATA} or {@code SMS}
 * @param cellId cell identity from {@code locationInfo}
 * @param trackingAreaId tracking area from {@code locationInfo}
 * @param eventTime when the network saw the event; the time of arrival when absent
 */
public record MonitoringReport(
        MonitoringType type,
        String externalId,
        String msisdn,
        Integer lossOfConnectReason,
        String reachabilityType,
        String cellId,
        String trackingAreaId,
        Instant eventTime) {}
