package dev.mecgw.app.ran;

import dev.mecgw.ran.identity.IdentityDecision;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link NetworkAdmission} through the SIM identity check of the running 5G integration; admits everyone
 * when the integration is off. An admitted UE's cell is watched through MEC 012, and the device is confined
 * to its slice's allowed topics ({@link SliceTopicScopes}) before the front-end hears the verdict.
 */
public class SimNetworkAdmission implements NetworkAdmission {

    private final RanNetwork ran;
    private final SliceTopicScopes scopes;

    public SimNetworkAdmission(RanNetwork ran, SliceTopicScopes scopes) {
        this.ran = ran;
        this.scopes = scopes;
    }

    @Override
    public CompletionStage<Optional<String>> admit(InetAddress peer, String deviceId) {
        return ran.identity()
                .map(identity -> identity.check(peer, deviceId).thenApply(decision -> decide(decision, peer, deviceId)))
                .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
    }

    private Optional<String> decide(IdentityDecision decision, InetAddress peer, String deviceId) {
        if (decision.outcome() == IdentityDecision.Outcome.REJECTED) {
            return Optional.of(decision.reason());
        }
        if (decision.outcome() == IdentityDecision.Outcome.NOT_APPLICABLE) {
            scopes.release(deviceId);
        } else if (decision.deviceId() != null) {
            scopes.confine(decision.deviceId(), decision.policy().allowedTopics());
            ran.admitted(decision.deviceId(), peer);
        }
        return Optional.empty();
    }
}
