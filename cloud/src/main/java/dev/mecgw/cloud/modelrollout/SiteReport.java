package dev.mecgw.cloud.modelrollout;

import java.time.Instant;

/**
 * A site's latest report on a rollout: its replicated {@code mecgw_model_installs} row (CONTRACT-sync §4).
 *
 * @param state {@code downloading}, {@code gating}, {@code succeeded}, {@code rolled-back}, {@code failed},
 *     {@code cancelled} or {@code reverted}
 * @param reason the site's explanation (gate verdict, install error); may be null
 * @param chunksReceived chunks stored durably at the site
 * @param missing the chunk indexes the site still lacks, as ranges ({@code 0-3,7}); empty when complete
 * @param updatedAt when the site wrote the row
 */
public record SiteReport(String state, String reason, int chunksReceived, String missing, Instant updatedAt) {}
