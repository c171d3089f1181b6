package dev.mecgw.app.ran;

import dev.mecgw.app.registry.DeviceRevocations;
import dev.mecgw.ran.identity.IdentityDecision;
import dev.mecgw.ran.identity.SimIdentityCheck;
import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link NetworkAdmission} through the SIM identity check of the running 5G integration; admits everyone
 * when the integration is off. An admitted UE's cell is watched through MEC 012, and the device is confined
 * to its slice's allowed topics ({@link SliceTopicScopes}) before the front-end hears the verdict. A connection
 * from outside every UE pool leaves that confinement as it is (issue 15.10: it used to lift it for the device's
 * on-slice connections too); whether it is admitted at all is the check's {@code require-network-identity}
 * policy. When the network refuses an authenticated device's SIM, its other live sessions are closed too
 * ({@link DeviceRevocations}, issue 15.9): its credentials are being used from the wrong SIM.
 */
public class SimNetworkAdmission implements NetworkAdmission {

    /**
     * Refusals that are no evidence against the device's other sessions: a network outage, and a connection from
     * outside every UE pool (no SIM was checked; a device with a wired fallback would cut its own 5G session).
     */
    private static final Set<String> KEEP_SESSIONS =
            Set.of("IDENTITY_UNVERIFIABLE", SimIdentityCheck.NETWORK_IDENTITY_REQUIRED);

    private final RanNetwork ran;
    private final SliceTopicScopes scopes;
    private final DeviceRevocations revocations;

    public SimNetworkAdmission(RanNetwork ran, SliceTopicScopes scopes, DeviceRevocations revocations) {
        this.ran = ran;
        this.scopes = scopes;
        this.revocations = revocations;
    }

    @Override
    public CompletionStage<Optional<String>> admit(InetAddress peer, String deviceId) {
        return ran.identity()
                .map(identity -> identity.check(peer, deviceId).thenApply(decision -> decide(decision, peer, deviceId)))
                .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
    }

    private Optional<String> decide(IdentityDecision decision, InetAddress peer, String deviceId) {
        if (decision.outcome() == IdentityDecision.Outcome.REJECTED) {
            if (!KEEP_SESSIONS.contains(decision.reason())) {
                revocations.revoke(deviceId, DeviceRevocations.SIM_CHECK_FAILED);
            }
            return Optional.of(decision.reason());
        }
        if (decision.outcome() != IdentityDecision.Outcome.NOT_APPLICABLE && decision.deviceId() != null) {
            scopes.confine(decision.deviceId(), decision.policy().allowedTopics());
            ran.admitted(decision.deviceId(), peer);
        }
        return Optional.empty();
    }
}
