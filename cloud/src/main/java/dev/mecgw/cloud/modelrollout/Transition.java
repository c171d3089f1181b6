package dev.mecgw.cloud.modelrollout;

import java.time.Instant;

/**
 * One state change, stored in {@code cloud_model_rollout_transitions}.
 *
 * @param rolloutId the rollout
 * @param scope {@code rollout}, {@code wave} or {@code site}
 * @param subject the rollout id, wave name or site id
 * @param from the state before
 * @param to the state after
 * @param reason why
 * @param at when
 */
public record Transition(
        String rolloutId, String scope, String subject, String from, String to, String reason, Instant at) {}
