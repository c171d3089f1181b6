package dev.mecgw.cloud.apply;

import java.time.Instant;

/**
 * A gateway's heartbeat on {@code mecgw.heartbeats} (CONTRACT sync 2).
 *
 * @param siteId the site; never null
 * @param sentAt the gateway's clock when it sent the heartbeat; never null
 * @param gatewayVersion the gateway release; may be null
 * @param health {@code UP} or {@code DOWN}; may be null
 * @param backlogRows rows waiting at the edge; null when not reported
 * @param lagSeconds replication lag; null when not reported
 * @param devicesOnline devices connected; null when not reported
 * @param devicesTotal devices registered; null when not reported
 * @param modelsJson model name to version as a JSON object text; never null
 */
public record Heartbeat(
        String siteId,
        Instant sentAt,
        String gatewayVersion,
        String health,
        Long backlogRows,
        Double lagSeconds,
        Integer devicesOnline,
        Integer devicesTotal,
        String modelsJson) {}
