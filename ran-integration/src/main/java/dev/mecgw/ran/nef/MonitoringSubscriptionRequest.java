package dev.mecgw.ran.nef;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * What to monitor, for whom, and where to send the reports (TS 29.122 {@code MonitoringEventSubscription}).
 * Exactly one of {@code externalId} and {@code externalGroupId} is set.
 *
 * @param type the monitoring event, never {@link MonitoringType#OTHER}
 * @param externalId one UE's external identifier ({@code <local>@<domain>}), or null
 * @param externalGroupId the site's UE group ({@code <local>@<domain>}), or null
 * @param notificationDestination our callback URI, carrying its own capability token
 * @param expireTime when the network drops the subscription; the gateway renews before that
 */
public record MonitoringSubscriptionRequest(
        MonitoringType type,
        String externalId,
        String externalGroupId,
        URI notificationDestination,
        Instant expireTime) {

    /** Checks the invariants above; throws {@link IllegalArgumentException} when one is broken. */
    public MonitoringSubscriptionRequest {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(notificationDestination, "notificationDestination");
        Objects.requireNonNull(expireTime, "expireTime");
        if (type == MonitoringType.OTHER) {
            throw new IllegalArgumentException("monitoring type OTHER cannot be subscribed");
        }
        if ((externalId == null) == (externalGroupId == null)) {
            throw new IllegalArgumentException("exactly one of externalId and externalGroupId is required");
        }
    }
}
