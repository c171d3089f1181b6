package dev.mecgw.sync.applier;

/**
 * What one applied batch did.
 *
 * @param applied changes written to the central database
 * @param skipped changes ignored because a change at or above their (generation, LSN) was already applied for that row
 */
public record ApplyResult(int applied, int skipped) {}
