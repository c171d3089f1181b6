package dev.mecgw.ran.nef;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A QoS session for one UE's flows (TS 29.122 {@code AsSessionWithQoSSubscription}).
 *
 * @param ueIpv4 the UE's IPv4 address
 * @param flowDescriptions IPFilterRule strings (TS 29.214 clause 5.3.8), e.g.
 *     {@code permit out 17 from 192.0.2.10 to 10.45.0.2}; at least one
 * @param qosReference the pre-agreed QoS profile at the NEF/PCF, e.g. {@code qos-video-uplink}
 * @param notificationDestination our callback URI for user-plane events
 */
public record QosSessionRequest(
        String ueIpv4, List<String> flowDescriptions, String qosReference, URI notificationDestination) {

    /** Rejects missing fields and an empty flow list. */
    public QosSessionRequest {
        Objects.requireNonNull(ueIpv4, "ueIpv4");
        Objects.requireNonNull(qosReference, "qosReference");
        Objects.requireNonNull(notificationDestination, "notificationDestination");
        flowDescriptions = List.copyOf(flowDescriptions);
        if (flowDescriptions.isEmpty()) {
            throw new IllegalArgumentException("at least one flow description is required");
        }
    }
}
