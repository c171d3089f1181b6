package dev.mecgw.cloud.apply;

/**
 * What one poll batch did.
 *
 * @param applied changes written (newer than the stored version)
 * @param skipped changes not written because the stored version is as new or newer (replays, reordering)
 * @param unmapped changes kept whole in {@code unmapped_rows} because no typed mirror could take them
 * @param heartbeats heartbeats recorded
 */
public record ApplyResult(int applied, int skipped, int unmapped, int heartbeats) {}
