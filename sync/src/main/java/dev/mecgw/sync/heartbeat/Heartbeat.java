package dev.mecgw.sync.heartbeat;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The gateway's periodic state for the cloud's fleet view (CONTRACT-sync §2), sent on {@code mecgw.heartbeats} with
 * the site id as key.
 *
 * @param siteId this site
 * @param sentAt when it was built
 * @param gatewayVersion the running gateway's version
 * @param health {@code UP} or {@code DOWN}, as the gateway's readiness says
 * @param backlogRows rows waiting to leave the site, estimated
 * @param lagSeconds replication lag of the slowest capture, seconds
 * @param devicesOnline devices connected now
 * @param devicesTotal registered devices
 * @param models model name to the version serving now; never null
 */
public record Heartbeat(
        String siteId,
        Instant sentAt,
        String gatewayVersion,
        String health,
        long backlogRows,
        double lagSeconds,
        long devicesOnline,
        long devicesTotal,
        Map<String, String> models) {

    public Heartbeat {
        Objects.requireNonNull(siteId, "siteId");
        Objects.requireNonNull(sentAt, "sentAt");
        models = Map.copyOf(models);
    }
}
