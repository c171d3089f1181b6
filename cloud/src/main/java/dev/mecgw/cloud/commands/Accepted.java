package dev.mecgw.cloud.commands;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A downlink message the cloud accepted: committed, and sent after the commit (docs/cloud.md, downlink outbox).
 *
 * @param id the message id, for {@code GET /api/v1/sites/{siteId}/commands/{id}}
 * @param version the desired-state version; null for a command
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Accepted(String id, Long version) {}
