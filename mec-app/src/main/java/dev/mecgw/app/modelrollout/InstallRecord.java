package dev.mecgw.app.modelrollout;

import java.time.Instant;

/**
 * One row of {@code mecgw_model_installs} with its offer.
 *
 * @param offer what the cloud offered
 * @param previousVersion the version serving when the offer arrived; null when none
 * @param state {@code downloading}, {@code gating}, {@code succeeded}, {@code rolled-back}, {@code failed},
 *     {@code cancelled} or {@code reverted}
 * @param chunksReceived chunks stored
 * @param installedAt when the new version went live; null before
 */
public record InstallRecord(
        ModelOffer offer, String previousVersion, String state, int chunksReceived, Instant installedAt) {}
