package dev.mecgw.app.store;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the embedded PostgreSQL under {@code mecgw.store}; none applies when {@code quarkus.datasource.jdbc.url}
 * names a system PostgreSQL.
 *
 * <p>{@link EmbeddedPostgresConfigSourceFactory} reads them before any mapping exists (the server starts while the
 * configuration is built), so it takes its defaults from the constants here, the same ones the mapping declares.
 */
@ConfigMapping(prefix = "mecgw.store")
public interface StoreConfig {

    /** The default of {@link #logBudget()}. */
    String LOG_BUDGET_DEFAULT = "32M";

    /**
     * Disk space that the embedded PostgreSQL's log, the files in {@code <data-dir>/postgres-log}, may take in bytes
     * ({@code K}, {@code M}, {@code G} suffixes, powers of 1024), however long the gateway runs. PostgreSQL starts a
     * new file each eighth of it and the gateway deletes the oldest files, so about the newest seven eighths of the
     * log are kept (docs/operations.md "Embedded PostgreSQL"). From 64K to 8G. Env {@code MECGW_STORE_LOG_BUDGET}.
     * Default {@code 32M}.
     */
    @WithDefault(LOG_BUDGET_DEFAULT)
    MemorySize logBudget();
}
