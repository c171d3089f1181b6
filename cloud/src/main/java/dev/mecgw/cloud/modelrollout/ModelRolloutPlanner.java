package dev.mecgw.cloud.modelrollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.cloud.problem.CloudException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a {@code POST /api/v1/model-rollouts} request into a {@link ModelRolloutSpec}: checks the metadata against
 * the bytes, resolves the site selector against the sites the cloud knows, and splits them into waves (explicit
 * canary sites first, then shares of the rest). Every refusal names its field.
 */
final class ModelRolloutPlanner {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final ModelRolloutsConfig config;

    ModelRolloutPlanner(ModelRolloutsConfig config) {
        this.config = config;
    }

    ModelRolloutSpec plan(JsonNode request, byte[] model, List<String> knownSites) {
        if (request == null || !request.isObject()) {
            throw CloudException.badField("rollout", "expected a JSON object");
        }
        if (model == null || model.length == 0) {
            throw CloudException.badField("model", "the model part (ONNX bytes) is required");
        }
        if (model.length > config.maxModelBytes()) {
            throw CloudException.tooLarge("model", config.maxModelBytes());
        }
        JsonNode declared = request.get("metadata");
        if (declared == null || !declared.isObject()) {
            throw CloudException.badField("metadata", "the model metadata object is required");
        }
        ObjectNode metadata = ((ObjectNode) declared).deepCopy();
        String name = requireName(metadata, "name");
        String version = requireName(metadata, "version");
        String sha256 = ModelDownlink.sha256(model);
        JsonNode claimed = metadata.get("sha256");
        if (claimed != null && !claimed.isNull() && !sha256.equals(claimed.asText())) {
            throw CloudException.badField("metadata.sha256", "the model's SHA-256 is " + sha256);
        }
        metadata.put("sha256", sha256);
        List<String> selected = select(request.path("selector"), knownSites);
        List<ModelRolloutSpec.PlannedWave> waves = waves(request.path("waves"), selected);
        GateLimits gate = gate(request.path("gate"));
        int maxFailed = request.path("maxFailedSites").asInt(0);
        if (maxFailed < 0) {
            throw CloudException.badField("maxFailedSites", "must be 0 or more");
        }
        return new ModelRolloutSpec(
                name,
                version,
                sha256,
                model.length,
                metadata,
                waves,
                duration(request, "healthWindow", config.healthWindow()),
                duration(request, "siteTimeout", config.siteTimeout()),
                maxFailed,
                gate,
                config.chunkBytes());
    }

    private static String requireName(JsonNode metadata, String field) {
        String value = metadata.path(field).asText("");
        if (!NAME.matcher(value).matches()) {
            throw CloudException.badField(
                    "metadata." + field, "1 to 64 of a-z 0-9 . _ -, starting with a letter or digit");
        }
        return value;
    }

    private static List<String> select(JsonNode selector, List<String> knownSites) {
        if (selector.path("all").asBoolean(false)) {
            if (knownSites.isEmpty()) {
                throw CloudException.badField("selector.all", "the cloud knows no site yet");
            }
            return knownSites;
        }
        JsonNode sites = selector.path("sites");
        if (!sites.isArray() || sites.isEmpty()) {
            throw CloudException.badField("selector", "expected {\"sites\":[...]} or {\"all\":true}");
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (JsonNode site : sites) {
            if (!knownSites.contains(site.asText())) {
                throw CloudException.badField(
                        "selector.sites", "site " + site.asText() + " is unknown to the cloud (no row or heartbeat)");
            }
            chosen.add(site.asText());
        }
        return List.copyOf(chosen);
    }

    private static List<ModelRolloutSpec.PlannedWave> waves(JsonNode request, List<String> selected) {
        if (!request.isArray() || request.isEmpty()) {
            return List.of(new ModelRolloutSpec.PlannedWave("all", selected));
        }
        Set<String> named = new LinkedHashSet<>();
        for (JsonNode wave : request) {
            for (JsonNode site : wave.path("sites")) {
                if (!selected.contains(site.asText())) {
                    throw CloudException.badField(
                            "waves.sites", "site " + site.asText() + " is not chosen by the selector");
                }
                if (!named.add(site.asText())) {
                    throw CloudException.badField("waves.sites", "site " + site.asText() + " is in two waves");
                }
            }
        }
        List<String> rest = new ArrayList<>(selected);
        rest.removeAll(named);
        int restTotal = rest.size();
        List<ModelRolloutSpec.PlannedWave> waves = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode wave : request) {
            String name = wave.path("name").asText("");
            if (name.isBlank() || !names.add(name)) {
                throw CloudException.badField("waves.name", "each wave needs a unique name");
            }
            List<String> sites = new ArrayList<>();
            wave.path("sites").forEach(s -> sites.add(s.asText()));
            int percent = wave.path("percent").asInt(0);
            if (sites.isEmpty() == (percent == 0) || percent < 0 || percent > 100) {
                throw CloudException.badField("waves", "wave " + name + " needs either sites or a percent 1 to 100");
            }
            if (percent > 0) {
                int take = Math.min(rest.size(), (int) Math.ceil(restTotal * percent / 100.0));
                sites.addAll(rest.subList(0, take));
                rest = new ArrayList<>(rest.subList(take, rest.size()));
            }
            waves.add(new ModelRolloutSpec.PlannedWave(name, sites));
        }
        if (!rest.isEmpty()) {
            throw CloudException.badField("waves", "sites " + rest + " are selected but in no wave");
        }
        return waves;
    }

    private GateLimits gate(JsonNode gate) {
        ModelRolloutsConfig.Gate defaults = config.gate();
        GateLimits limits = new GateLimits(
                gate.path("maxErrorRateIncrease").asDouble(defaults.maxErrorRateIncrease()),
                gate.path("maxLatencyP99Ratio").asDouble(defaults.maxLatencyP99Ratio()),
                gate.path("maxDetectionRateDelta").asDouble(defaults.maxDetectionRateDelta()),
                gate.path("minRuns").asInt(defaults.minRuns()),
                gate.path("maxDetectionsPerFrameDelta").asDouble(defaults.maxDetectionsPerFrameDelta()),
                gate.path("minFrames").asInt(defaults.minFrames()));
        if (limits.maxErrorRateIncrease() < 0
                || limits.maxDetectionRateDelta() < 0
                || limits.maxDetectionsPerFrameDelta() < 0) {
            throw CloudException.badField("gate", "tolerances must be 0 or more");
        }
        if (limits.maxLatencyP99Ratio() < 1 || limits.minRuns() < 1 || limits.minFrames() < 1) {
            throw CloudException.badField(
                    "gate", "maxLatencyP99Ratio must be at least 1, minRuns and minFrames at least 1");
        }
        return limits;
    }

    private static Duration duration(JsonNode request, String field, Duration fallback) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        try {
            Duration parsed = Duration.parse(value.asText());
            if (parsed.isNegative() || parsed.isZero()) {
                throw CloudException.badField(field, "must be positive");
            }
            return parsed;
        } catch (DateTimeParseException e) {
            throw CloudException.badField(field, "expected an ISO-8601 duration such as PT5M");
        }
    }
}
