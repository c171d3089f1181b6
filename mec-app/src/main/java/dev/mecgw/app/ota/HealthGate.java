package dev.mecgw.app.ota;

import java.time.Instant;
import java.util.Optional;

/**
 * Judges whether an updated device stays healthy (issue 18 item 2): it keeps sending telemetry at a share of
 * its own pre-update rate and raises no more error or anomaly events than before. Blocking.
 */
public interface HealthGate {

    /**
     * @param deviceId the device
     * @param updateStartedAt when the rollout notified it; the baseline is the same length of time before it
     * @param installedAt when it reported success; the observed window starts here
     * @param now the end of the observed window
     * @return why the device is unhealthy, or empty when it is healthy
     */
    Optional<String> unhealthy(String deviceId, Instant updateStartedAt, Instant installedAt, Instant now);
}
