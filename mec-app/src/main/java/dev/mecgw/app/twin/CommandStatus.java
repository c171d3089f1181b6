package dev.mecgw.app.twin;

/**
 * A command's status as {@code GET /api/v1/devices/{id}/commands/{commandId}} answers it (docs/commands.md).
 *
 * @param id the command id
 * @param status {@code at-site}, {@code delivered}, {@code acknowledged}, {@code expired} or {@code failed}
 * @param reason why it failed or expired; null otherwise
 */
public record CommandStatus(String id, String status, String reason) {}
