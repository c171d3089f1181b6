package dev.mecgw.ran.qos;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A request for better QoS for one device's flows, for a bounded time.
 *
 * @param deviceId the device
 * @param ueIpv4 its UE address
 * @param flowDescriptions IPFilterRules of the flows (TS 29.214 clause 5.3.8)
 * @param qosReference pre-agreed QoS profile at the NEF
 * @param duration how long the QoS is wanted; capped by {@link QosPolicy#maxDuration()}
 */
public record QosDemand(
        String deviceId, String ueIpv4, List<String> flowDescriptions, String qosReference, Duration duration) {

    /** Rejects missing fields and non-positive durations. */
    public QosDemand {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(ueIpv4, "ueIpv4");
        Objects.requireNonNull(qosReference, "qosReference");
        flowDescriptions = List.copyOf(flowDescriptions);
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive");
        }
    }
}
