package dev.mecgw.sync.applier;

/**
 * What one applied batch did.
 *
 * @param applied changes written to the central database
 * @param skipped changes ignored because a change at or above their (generation, LSN) was already applied for that row
 * @param refused changes the central database refuses for good (SQLSTATE class 22 or 23), left out of the batch
 */
public record ApplyResult(int applied, int skipped, int refused) {

    /** A batch without refused changes. */
    public ApplyResult(int applied, int skipped) {
        this(applied, skipped, 0);
    }
}
