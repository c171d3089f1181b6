package dev.mecgw.app.ota;

import dev.mecgw.app.artifacts.Artifact;
import dev.mecgw.app.artifacts.ArtifactStore;
import dev.mecgw.app.problem.GatewayException;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns a {@link RolloutRequest} into a {@link Rollout}: validates each field (a bad one is a 400 naming it),
 * pins the artifact's size and hash, and assigns the selected devices to waves, explicit ones first, then the
 * percentages of the rest in order. Blocking (reads the registry and the artifact store).
 */
public class RolloutPlanner {

    private final ArtifactStore artifacts;
    private final PostgresRolloutStore store;
    private final Clock clock;
    private final FirmwareSigner signer;

    public RolloutPlanner(ArtifactStore artifacts, PostgresRolloutStore store, Clock clock, FirmwareSigner signer) {
        this.artifacts = artifacts;
        this.store = store;
        this.clock = clock;
        this.signer = signer;
    }

    /** The public key devices verify firmware signatures with (Base64 X.509 SubjectPublicKeyInfo). */
    public String signingKey() {
        return signer.publicKey();
    }

    /** @throws GatewayException BAD_REQUEST naming the first invalid field */
    public Rollout plan(RolloutRequest request) {
        if (request == null) {
            throw GatewayException.badField("$", "a JSON body is required");
        }
        Artifact artifact = artifacts
                .find(required(request.artifact(), "artifact"))
                .orElseThrow(() -> GatewayException.badField("artifact", "no artifact with this name is stored"));
        String version = required(request.version(), "version");
        List<RolloutRequest.WaveRequest> waves = request.waves();
        if (waves == null || waves.isEmpty()) {
            throw GatewayException.badField("waves", "at least one wave is required");
        }
        RolloutRequest.Selector selector = request.selector();
        String type = selector == null ? null : selector.type();
        Map<String, String> labels = selector == null || selector.labels() == null ? Map.of() : selector.labels();
        RolloutRequest.ErrorThreshold errors = request.errorThreshold();
        double successThreshold = share(request.successThreshold(), 0.95, "successThreshold");
        double errorPercent = errors == null || errors.percent() == null ? 5 : errors.percent();
        if (errorPercent <= 0 || errorPercent > 100) {
            throw GatewayException.badField("errorThreshold.percent", "must be above 0 and at most 100");
        }
        int minDevices = errors == null || errors.minDevices() == null ? 3 : errors.minDevices();
        if (minDevices < 1) {
            throw GatewayException.badField("errorThreshold.minDevices", "must be at least 1");
        }
        String onSuccess = request.onWaveSuccess() == null ? "next" : request.onWaveSuccess();
        if (!onSuccess.equals("next") && !onSuccess.equals("pause")) {
            throw GatewayException.badField("onWaveSuccess", "must be next or pause");
        }
        List<RolloutSpec.WaveSpec> specs = waveSpecs(waves);
        RolloutSpec spec = new RolloutSpec(
                artifact.name(),
                version,
                type,
                labels,
                specs,
                successThreshold,
                errorPercent,
                minDevices,
                duration(request.healthWindow(), "PT5M", "healthWindow"),
                duration(request.deviceTimeout(), "PT30M", "deviceTimeout"),
                onSuccess.equals("pause"),
                artifact.size(),
                artifact.sha256(),
                signer.sign(artifact.name(), version, artifact.sha256()));
        Rollout rollout = new Rollout(UUID.randomUUID().toString(), spec, clock.instant());
        assign(rollout, store.matchingDevices(type, labels));
        return rollout;
    }

    private List<RolloutSpec.WaveSpec> waveSpecs(List<RolloutRequest.WaveRequest> waves) {
        List<RolloutSpec.WaveSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < waves.size(); i++) {
            RolloutRequest.WaveRequest wave = waves.get(i);
            String field = "waves[" + i + "]";
            if (wave == null) {
                throw GatewayException.badField(field, "must be an object");
            }
            String name = required(wave.name(), field + ".name");
            if (!names.add(name)) {
                throw GatewayException.badField(field + ".name", "must be unique");
            }
            boolean explicit = wave.devices() != null && !wave.devices().isEmpty();
            if (explicit == (wave.percent() != null)) {
                throw GatewayException.badField(field, "give either devices or percent");
            }
            if (!explicit && (wave.percent() < 1 || wave.percent() > 100)) {
                throw GatewayException.badField(field + ".percent", "must be 1 to 100");
            }
            specs.add(new RolloutSpec.WaveSpec(
                    name, explicit ? List.copyOf(wave.devices()) : List.of(), explicit ? 0 : wave.percent()));
        }
        return specs;
    }

    private void assign(Rollout rollout, List<String> selected) {
        List<RolloutSpec.WaveSpec> specs = rollout.spec().waves();
        Set<String> explicit = new LinkedHashSet<>();
        Set<String> known = new HashSet<>(store.matchingDevices(null, Map.of()));
        for (int i = 0; i < specs.size(); i++) {
            for (String device : specs.get(i).devices()) {
                if (!known.contains(device)) {
                    throw GatewayException.badField("waves[" + i + "].devices", "unknown device " + device);
                }
                if (!explicit.add(device)) {
                    throw GatewayException.badField("waves[" + i + "].devices", "device " + device + " is twice");
                }
            }
        }
        List<String> pool = selected.stream().filter(d -> !explicit.contains(d)).toList();
        int taken = 0;
        for (int i = 0; i < specs.size(); i++) {
            RolloutSpec.WaveSpec spec = specs.get(i);
            Wave wave = new Wave(i, spec.name());
            List<String> members = spec.devices();
            if (spec.percent() > 0) {
                int until = Math.min(pool.size(), taken + (int) Math.ceil(pool.size() * spec.percent() / 100.0));
                members = pool.subList(taken, until);
                taken = until;
            }
            for (String device : members) {
                wave.devices().add(new DeviceRollout(device, i, rollout.createdAt()));
            }
            rollout.waves().add(wave);
        }
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw GatewayException.badField(field, "is required");
        }
        return value;
    }

    private static double share(Double value, double fallback, String field) {
        double share = value == null ? fallback : value;
        if (share <= 0 || share > 1) {
            throw GatewayException.badField(field, "must be above 0 and at most 1");
        }
        return share;
    }

    private static Duration duration(String value, String fallback, String field) {
        try {
            Duration duration = Duration.parse(value == null ? fallback : value);
            if (duration.isNegative() || duration.isZero()) {
                throw GatewayException.badField(field, "must be positive");
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw GatewayException.badField(field, "must be an ISO-8601 duration such as PT5M");
        }
    }
}
