package dev.mecgw.ran.identity;

import java.util.Optional;

/**
 * The outcome of a SIM identity check.
 *
 * @param outcome what the protocol front-end must do
 * @param deviceId the device the connection belongs to; null when rejected without one or not applicable
 * @param reason machine-readable reason for a rejection (e.g. {@code SIM_MISMATCH}), null otherwise
 * @param policy the slice policy that applied; null when not applicable
 * @param onboarded the new device and its one-time secret, for {@link Outcome#ONBOARDED} only
 */
public record IdentityDecision(
        Outcome outcome, String deviceId, String reason, SlicePolicy policy, Optional<OnboardedDevice> onboarded) {

    /** What the front-end does with the connection. */
    public enum Outcome {
        /** The address is on no managed slice: authenticate as usual. */
        NOT_APPLICABLE,
        /** The SIM matches a registered device that the slice allows; continue with its credentials. */
        ACCEPTED,
        /** An unknown SIM was onboarded zero-touch; the device now exists. */
        ONBOARDED,
        /** Refuse the connection (MQTT 0x87 not authorized, CoAP 4.03). */
        REJECTED
    }

    static IdentityDecision notApplicable() {
        return new IdentityDecision(Outcome.NOT_APPLICABLE, null, null, null, Optional.empty());
    }

    static IdentityDecision accepted(String deviceId, SlicePolicy policy) {
        return new IdentityDecision(Outcome.ACCEPTED, deviceId, null, policy, Optional.empty());
    }

    static IdentityDecision rejected(String deviceId, String reason, SlicePolicy policy) {
        return new IdentityDecision(Outcome.REJECTED, deviceId, reason, policy, Optional.empty());
    }
}
