package dev.mecgw.cloud.commands;

import java.time.Instant;

/**
 * Where a downlink message is.
 *
 * @param id the message id
 * @param kind {@code command} or {@code desired}
 * @param deviceId the target device
 * @param status {@code queued} until the site reports it, then the site's outcome ({@code at-site}, {@code delivered},
 *     {@code acknowledged}, {@code expired}, {@code failed}; {@code applied}, {@code stale} for desired state), or
 *     {@code expired} when a command's expiry passed without a report from the site
 * @param reason the site's explanation of a failure; may be null
 * @param version the desired-state version; null for a command
 * @param createdAt when the cloud accepted it
 * @param expiresAt when a command expires; null for desired state
 * @param updatedAt when the site last reported on it; null while queued
 */
public record CommandStatus(
        String id,
        String kind,
        String deviceId,
        String status,
        String reason,
        Long version,
        Instant createdAt,
        Instant expiresAt,
        Instant updatedAt) {}
