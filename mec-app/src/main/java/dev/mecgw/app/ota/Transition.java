package dev.mecgw.app.ota;

import java.time.Instant;

/**
 * One state change, recorded as an event ({@code rollout.transition}) so that it replicates to the cloud.
 *
 * @param rolloutId the rollout
 * @param scope {@code rollout}, {@code wave} or {@code device}
 * @param subject the rollout id, the wave name or the device id
 * @param from the previous state (lower case)
 * @param to the new state (lower case)
 * @param reason why, for the operator
 * @param at when
 */
public record Transition(
        String rolloutId, String scope, String subject, String from, String to, String reason, Instant at) {}
