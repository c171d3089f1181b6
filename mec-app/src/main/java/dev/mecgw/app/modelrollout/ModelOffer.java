package dev.mecgw.app.modelrollout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mecgw.inference.model.ModelKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The first message of a model rollout for this site (CONTRACT-sync §4, {@code "kind":"model-offer"}): what is
 * coming, how it is cut, and how the health gate judges it.
 *
 * @param rolloutId the cloud's rollout id
 * @param name the model name
 * @param version the new version
 * @param sha256 lower-case hex SHA-256 of the whole model
 * @param size the model's length in bytes
 * @param chunkBytes bytes per chunk (the last one may be shorter)
 * @param chunkSha256 SHA-256 of each chunk, by index
 * @param metadata the model metadata document, installed with the model
 * @param healthWindow how long the gate watches the new version
 * @param gate the gate's tolerances
 */
public record ModelOffer(
        String rolloutId,
        String name,
        String version,
        String sha256,
        long size,
        int chunkBytes,
        List<String> chunkSha256,
        JsonNode metadata,
        Duration healthWindow,
        GateLimits gate) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ModelOffer {
        chunkSha256 = List.copyOf(chunkSha256);
    }

    /** How many chunks the model travels in. */
    public int chunks() {
        return chunkSha256.size();
    }

    /** Which pipeline feeds the model (its metadata's {@code kind}), and so which outputs the gate compares. */
    public ModelKind kind() {
        return ModelKind.VISION.name().equals(metadata.path("kind").asText()) ? ModelKind.VISION : ModelKind.SENSOR;
    }

    /**
     * Reads an offer message.
     *
     * @throws IllegalArgumentException naming what is wrong: the offer can never be applied
     */
    public static ModelOffer parse(JsonNode message) {
        List<String> hashes = new ArrayList<>();
        message.path("chunkSha256").forEach(h -> hashes.add(h.asText()));
        long size = message.path("size").asLong(-1);
        int chunkBytes = message.path("chunkBytes").asInt(0);
        String sha256 = message.path("sha256").asText("");
        if (size <= 0 || chunkBytes <= 0 || hashes.size() != (int) ((size + chunkBytes - 1) / chunkBytes)) {
            throw new IllegalArgumentException("size, chunkBytes and chunkSha256 do not agree");
        }
        if (!SHA256.matcher(sha256).matches()
                || !hashes.stream().allMatch(h -> SHA256.matcher(h).matches())) {
            throw new IllegalArgumentException("sha256 and chunkSha256 must be lower-case hex SHA-256");
        }
        JsonNode gate = message.path("gate");
        return new ModelOffer(
                require(message, "rolloutId"),
                require(message, "name"),
                require(message, "version"),
                sha256,
                size,
                chunkBytes,
                hashes,
                message.path("metadata"),
                Duration.parse(message.path("healthWindow").asText("PT5M")),
                new GateLimits(
                        gate.path("maxErrorRateIncrease").asDouble(0.01),
                        gate.path("maxLatencyP99Ratio").asDouble(1.5),
                        gate.path("maxDetectionRateDelta").asDouble(0.2),
                        gate.path("minRuns").asInt(20),
                        // Absent in offers of a cloud from before vision models were gated on their outputs.
                        gate.path("maxDetectionsPerFrameDelta").asDouble(0.2),
                        gate.path("minFrames").asInt(100)));
    }

    private static String require(JsonNode message, String field) {
        String value = message.path(field).asText("");
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }
}
