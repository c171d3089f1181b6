package dev.mecgw.cloud.modelrollout;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/model-rollouts/{id}}: the rollout, its waves and every site's state with the reason.
 *
 * @param id the rollout id
 * @param name the model name
 * @param version the new version
 * @param sha256 SHA-256 of the model bytes
 * @param size the model's length in bytes
 * @param chunks how many downlink chunks it travels in
 * @param state {@code running}, {@code paused}, {@code succeeded} or {@code aborted}
 * @param reason why it paused or aborted; null otherwise
 * @param createdAt when it was accepted
 * @param updatedAt when it last changed
 * @param waves its waves in order
 */
public record ModelRolloutView(
        String id,
        String name,
        String version,
        String sha256,
        long size,
        int chunks,
        String state,
        String reason,
        Instant createdAt,
        Instant updatedAt,
        List<WaveView> waves) {

    /**
     * One wave.
     *
     * @param name its name
     * @param state {@code pending}, {@code running}, {@code succeeded}, {@code failed} or {@code cancelled}
     * @param reason why it ended as it did
     * @param startedAt when it started; null while pending
     * @param endedAt when it ended; null while pending or running
     * @param sites its sites
     */
    public record WaveView(
            String name, String state, String reason, Instant startedAt, Instant endedAt, List<SiteView> sites) {}

    /**
     * One site.
     *
     * @param siteId the site
     * @param state see {@link SiteState}, lower case with dashes
     * @param reason why it is in that state (for a rolled-back site, the health gate's verdict)
     * @param since when it entered it
     * @param chunksReceived chunks the site reported stored
     * @param resentChunks chunks the cloud published again because the site lacked them
     * @param reportedState the site's own last report ({@code mecgw_model_installs.state}); null before one
     * @param previousVersion the version the site ran before; null before its report
     * @param gate the health gate's figures as the site reported them (baseline and candidate); null before
     */
    public record SiteView(
            String siteId,
            String state,
            String reason,
            Instant since,
            int chunksReceived,
            int resentChunks,
            String reportedState,
            String previousVersion,
            JsonNode gate) {}
}
