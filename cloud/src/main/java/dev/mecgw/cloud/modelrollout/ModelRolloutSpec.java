package dev.mecgw.cloud.modelrollout;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * A model rollout as planned; stored as {@code cloud_model_rollouts.spec}.
 *
 * @param name the model name
 * @param version the new version
 * @param sha256 lower-case hex SHA-256 of the ONNX bytes
 * @param size the ONNX bytes' length
 * @param metadata the gateway's model metadata document (its {@code ModelMetadata}), passed to each site as is
 * @param waves the waves with their sites resolved, canaries first
 * @param healthWindow how long each site's gate watches the new version
 * @param siteTimeout how long a site may go without progress before it counts as timed out
 * @param maxFailedSites failed sites a wave tolerates; one more aborts the rollout
 * @param gate the health gate's tolerances
 * @param chunkBytes model bytes per downlink message
 */
public record ModelRolloutSpec(
        String name,
        String version,
        String sha256,
        long size,
        JsonNode metadata,
        List<PlannedWave> waves,
        Duration healthWindow,
        Duration siteTimeout,
        int maxFailedSites,
        GateLimits gate,
        int chunkBytes) {

    public ModelRolloutSpec {
        waves = List.copyOf(waves);
    }

    /** How many chunks the model travels in. */
    public int chunks() {
        return (int) ((size + chunkBytes - 1) / chunkBytes);
    }

    /**
     * A wave with its sites.
     *
     * @param name the wave's name
     * @param sites its sites, in order
     */
    public record PlannedWave(String name, List<String> sites) {

        public PlannedWave {
            sites = List.copyOf(sites);
        }
    }
}
