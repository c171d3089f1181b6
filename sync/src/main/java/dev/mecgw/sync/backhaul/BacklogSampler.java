package dev.mecgw.sync.backhaul;

import java.sql.SQLException;

/**
 * Estimates how many row changes one replication slot still holds for the cloud, and since when, from periodic
 * samples ({@link BackhaulMonitor#backlogSampler} builds the PostgreSQL one; docs/sync.md "Backlog rows and age").
 * Not thread-safe for {@link #sample()}: one caller samples at a time; {@link #estimate()} may be read from any
 * thread.
 */
public interface BacklogSampler {

    /**
     * Takes one sample.
     *
     * @return the estimate after this sample
     * @throws SQLException when the database cannot be queried (the estimate keeps its previous samples)
     */
    BacklogEstimate sample() throws SQLException;

    /** @return the latest estimate; cheap, no query */
    BacklogEstimate estimate();

    /** Keeps the sampler's state now, e.g. at shutdown, so that a restart takes it up; best effort, never throws. */
    void saveState();
}
