package dev.mecgw.cloud.fleet;

import java.time.Instant;

/**
 * One site of the fleet view.
 *
 * @param siteId the site
 * @param lastChangeAt edge commit time of the newest change applied from the site; null before the first
 * @param lagSeconds replication lag the gateway last reported; null without a heartbeat
 * @param backlogRows rows waiting at the edge, as last reported; null without a heartbeat
 * @param online whether a heartbeat arrived within {@code mecgw.cloud.fleet.offline-after}
 * @param health the gateway's last reported health; null without a heartbeat
 * @param gatewayVersion the gateway's release; null without a heartbeat
 */
public record SiteSummary(
        String siteId,
        Instant lastChangeAt,
        Double lagSeconds,
        Long backlogRows,
        boolean online,
        String health,
        String gatewayVersion) {}
