package dev.mecgw.ran.qos;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A rule of QoS on demand (issue 7): when an event of {@code eventKind} is recorded for a device (of
 * {@code deviceType}, when given), that device gets {@code qosReference} for {@code duration} after the
 * latest such event.
 *
 * @param name the rule's name, for logs and metrics
 * @param eventKind event kind that fires the rule, e.g. {@code inference.detection}
 * @param deviceType device type the rule is limited to; empty for any
 * @param qosReference pre-agreed QoS profile at the NEF
 * @param duration how long QoS is kept after the latest matching event
 * @param flowTemplates IPFilterRules of the flows; {@value #UE} stands for the device's UE address
 */
public record QosRule(
        String name,
        String eventKind,
        Optional<String> deviceType,
        String qosReference,
        Duration duration,
        List<String> flowTemplates) {

    /** Placeholder for the UE address in {@link #flowTemplates}. */
    public static final String UE = "{ue}";

    /** Rejects missing fields, an empty flow list and non-positive durations. */
    public QosRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(eventKind, "eventKind");
        Objects.requireNonNull(deviceType, "deviceType");
        Objects.requireNonNull(qosReference, "qosReference");
        flowTemplates = List.copyOf(flowTemplates);
        if (flowTemplates.isEmpty()) {
            throw new IllegalArgumentException("QoS rule " + name + ": at least one flow description is required");
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("QoS rule " + name + ": duration must be positive");
        }
    }

    /** Whether a device of {@code type} (null when unknown) is one the rule is for. */
    public boolean appliesTo(String type) {
        return deviceType.isEmpty() || deviceType.get().equals(type);
    }

    /** The demand this rule makes for a device at a UE address. */
    public QosDemand demandFor(String deviceId, String ueIpv4) {
        return new QosDemand(
                deviceId,
                ueIpv4,
                flowTemplates.stream().map(flow -> flow.replace(UE, ueIpv4)).toList(),
                qosReference,
                duration);
    }
}
