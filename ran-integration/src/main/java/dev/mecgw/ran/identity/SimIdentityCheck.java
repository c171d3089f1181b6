package dev.mecgw.ran.identity;

import dev.mecgw.ran.event.NetworkEvent;
import dev.mecgw.ran.event.NetworkEventSink;
import java.net.InetAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Checks a connecting device's SIM identity against the registry (issue 7, identity). The slice is chosen
 * by the UE address pool; the address is resolved to the SIM's external identifier through the network
 * (UEId); then the registered device must carry that SIM and a type the slice allows. Unknown SIMs are
 * onboarded or rejected by slice policy. Every rejection and onboarding is recorded as an event.
 * Non-blocking for the caller: registry work runs on {@code worker}.
 */
public class SimIdentityCheck {

    private static final Logger LOG = Logger.getLogger(SimIdentityCheck.class);
    /** Rejection reason of a device with a SIM connecting from outside every UE pool. */
    public static final String NETWORK_IDENTITY_REQUIRED = "NETWORK_IDENTITY_REQUIRED";

    private static final String DEVICE_ID = "[A-Za-z0-9][A-Za-z0-9._:-]{0,63}";

    private final List<SlicePolicy> policies;
    private final UeIdentityResolver resolver;
    private final SimRegistry registry;
    private final NetworkEventSink events;
    private final Executor worker;
    private final Clock clock;
    private final UnaryOperator<String> onboardingIds;
    private volatile NetworkIdentityRequirement requirement = NetworkIdentityRequirement.none();

    /**
     * @param policies the site's slice policies; an address in none of their pools is not checked
     * @param worker runs the blocking registry calls
     * @param onboardingIds the device id of a zero-touch onboarded SIM from its GPSI; it must not carry the external
     *     id, which would leave the site with every replicated row of the device (issue 14.9), e.g. a keyed hash
     */
    public SimIdentityCheck(
            List<SlicePolicy> policies,
            UeIdentityResolver resolver,
            SimRegistry registry,
            NetworkEventSink events,
            Executor worker,
            Clock clock,
            UnaryOperator<String> onboardingIds) {
        this.policies = List.copyOf(policies);
        this.resolver = resolver;
        this.registry = registry;
        this.events = events;
        this.worker = worker;
        this.clock = clock;
        this.onboardingIds = onboardingIds;
    }

    /**
     * Sets which devices must connect through a slice's UE pool (issue 15.10); before, none must.
     *
     * @return this check
     */
    public SimIdentityCheck requiring(NetworkIdentityRequirement requirement) {
        this.requirement = requirement;
        return this;
    }

    /**
     * Checks one connection attempt.
     *
     * @param ueAddress the peer address of the MQTT/CoAP connection
     * @param claimedDeviceId the device id the client presented (MQTT client id / username, CoAP identity),
     *     or null when it presented none
     * @return the decision; never fails: an unreachable network gives {@code REJECTED} with
     *     {@code IDENTITY_UNVERIFIABLE} (fail closed)
     */
    public CompletableFuture<IdentityDecision> check(InetAddress ueAddress, String claimedDeviceId) {
        Optional<SlicePolicy> policy =
                policies.stream().filter(p -> p.serves(ueAddress)).findFirst();
        if (policy.isEmpty()) {
            NetworkIdentityRequirement required = requirement;
            if (claimedDeviceId == null || !required.active()) {
                return CompletableFuture.completedFuture(IdentityDecision.notApplicable());
            }
            return CompletableFuture.supplyAsync(() -> offPool(ueAddress, claimedDeviceId, required), worker)
                    .exceptionally(
                            failure -> IdentityDecision.rejected(claimedDeviceId, "IDENTITY_UNVERIFIABLE", null));
        }
        return resolver.externalIdOf(ueAddress)
                .thenApplyAsync(externalId -> decide(ueAddress, claimedDeviceId, policy.get(), externalId), worker)
                .exceptionally(failure -> {
                    LOG.warnf(
                            "SIM identity of %s not verifiable: %s", ueAddress.getHostAddress(), failure.getMessage());
                    return reject(claimedDeviceId, "IDENTITY_UNVERIFIABLE", policy.get(), ueAddress, null);
                });
    }

    /** An address outside every pool: refused for a device that must come through one (issue 15.10). */
    private IdentityDecision offPool(InetAddress ue, String claimed, NetworkIdentityRequirement required) {
        Optional<RegisteredDevice> device = registry.find(claimed);
        if (device.isEmpty() || !required.appliesTo(device.get())) {
            return IdentityDecision.notApplicable();
        }
        record(
                claimed,
                "ran.identity.rejected",
                "warning",
                ue,
                null,
                device.get().gpsi(),
                NETWORK_IDENTITY_REQUIRED);
        return IdentityDecision.rejected(claimed, NETWORK_IDENTITY_REQUIRED, null);
    }

    private IdentityDecision decide(InetAddress ue, String claimed, SlicePolicy policy, Optional<String> externalId) {
        if (externalId.isEmpty()) {
            return reject(claimed, "UE_UNKNOWN_TO_NETWORK", policy, ue, null);
        }
        String gpsi = "extid-" + externalId.get();
        Optional<RegisteredDevice> bySim = registry.findByGpsi(gpsi);
        Optional<RegisteredDevice> byClaim = claimed == null ? Optional.empty() : registry.find(claimed);
        if (byClaim.isPresent()
                && byClaim.get().gpsi() != null
                && !byClaim.get().gpsi().equals(gpsi)) {
            return reject(claimed, "SIM_MISMATCH", policy, ue, gpsi);
        }
        if (claimed != null && bySim.isPresent() && !bySim.get().id().equals(claimed)) {
            // The SIM is registered to another device: a cloned or swapped SIM.
            return reject(claimed, "SIM_MISMATCH", policy, ue, gpsi);
        }
        Optional<RegisteredDevice> device = bySim.or(() -> byClaim);
        if (device.isEmpty()) {
            return unknownSim(claimed, policy, ue, gpsi);
        }
        if (!policy.allows(device.get().type())) {
            return reject(device.get().id(), "TYPE_NOT_ALLOWED_ON_SLICE", policy, ue, gpsi);
        }
        if (device.get().slice() != null && !device.get().slice().equals(policy.slice())) {
            return reject(device.get().id(), "SLICE_MISMATCH", policy, ue, gpsi);
        }
        return IdentityDecision.accepted(device.get().id(), policy);
    }

    private IdentityDecision unknownSim(String claimed, SlicePolicy policy, InetAddress ue, String gpsi) {
        if (!policy.zeroTouch()) {
            return reject(claimed, "UNKNOWN_SIM", policy, ue, gpsi);
        }
        String id = claimed != null && claimed.matches(DEVICE_ID) ? claimed : onboardingIds.apply(gpsi);
        try {
            OnboardedDevice onboarded = registry.onboard(id, gpsi, policy.slice(), policy.defaultType());
            record(id, "ran.identity.onboarded", "info", ue, policy, gpsi, null);
            return new IdentityDecision(IdentityDecision.Outcome.ONBOARDED, id, null, policy, Optional.of(onboarded));
        } catch (IllegalStateException e) {
            return reject(claimed, "ONBOARDING_CONFLICT", policy, ue, gpsi);
        }
    }

    private IdentityDecision reject(String deviceId, String reason, SlicePolicy policy, InetAddress ue, String gpsi) {
        String kind = reason.equals("SIM_MISMATCH") ? "ran.identity.sim-mismatch" : "ran.identity.rejected";
        record(deviceId, kind, "warning", ue, policy, gpsi, reason);
        return IdentityDecision.rejected(deviceId, reason, policy);
    }

    private void record(
            String deviceId,
            String kind,
            String severity,
            InetAddress ue,
            SlicePolicy policy,
            String gpsi,
            String reason) {
        Map<String, String> payload = new HashMap<>();
        payload.put("ueAddress", ue.getHostAddress());
        if (policy != null) {
            payload.put("slice", policy.slice().toString());
        }
        if (gpsi != null) {
            payload.put("gpsi", gpsi);
        }
        if (reason != null) {
            payload.put("reason", reason);
        }
        try {
            events.record(new NetworkEvent(deviceId, kind, severity, clock.instant(), payload));
        } catch (RuntimeException e) {
            // The decision stands even when the audit trail is unavailable.
            LOG.errorf("cannot record %s for %s: %s", kind, deviceId, e.getMessage());
        }
    }
}
