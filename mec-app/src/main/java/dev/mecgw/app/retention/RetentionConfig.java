package dev.mecgw.app.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Optional;

/**
 * Retention of the tables that grow without bound at the site, under {@code mecgw.retention} (issue 14 item 4).
 * Raw telemetry keeps its own partition retention ({@code mecgw.telemetry.retention}). A retention delete is not
 * replicated to the cloud, which keeps its own retention (docs/sync.md, "Retention vs replication").
 */
@ConfigMapping(prefix = "mecgw.retention")
public interface RetentionConfig {

    /** Whether the retention job runs. Env {@code MECGW_RETENTION_ENABLED}. Default {@code true}. */
    @WithDefault("true")
    boolean enabled();

    /** How often the retention job runs. Env {@code MECGW_RETENTION_INTERVAL}. Default {@code 10m}. */
    @WithDefault("10m")
    Duration interval();

    /**
     * Rows deleted per transaction: each batch commits on its own, so a big prune never holds locks for long.
     * Env {@code MECGW_RETENTION_BATCH_SIZE}. Default {@code 5000}.
     */
    @WithDefault("5000")
    @Min(1) @Max(1_000_000) int batchSize();

    /**
     * Most batches per table and run; what is left waits for the next run. Env
     * {@code MECGW_RETENTION_MAX_BATCHES_PER_RUN}. Default {@code 100}.
     */
    @WithDefault("100")
    @Min(1) int maxBatchesPerRun();

    /** Age after which {@code events} rows are deleted (by {@code ts}). Env {@code MECGW_RETENTION_EVENTS}. Default {@code 90d}. */
    @WithDefault("90d")
    Duration events();

    /**
     * Age after which one-minute rollups ({@code telemetry_rollup_1m}, by {@code minute}) are deleted. Env
     * {@code MECGW_RETENTION_ROLLUPS}. Default {@code 30d}.
     */
    @WithDefault("30d")
    Duration rollups();

    /**
     * Age after which downlink acknowledgements ({@code mecgw_downlink_applied}, by {@code updated_at}) and stored
     * commands not handed over ({@code mecgw_command_outbox}, by {@code created_at}) are deleted. Env
     * {@code MECGW_RETENTION_DOWNLINK}. Default {@code 30d}.
     */
    @WithDefault("30d")
    Duration downlink();

    /**
     * Age (of {@code updated_at}) after which the twin of a device that neither reported nor received a desired
     * state is deleted; absent keeps twins as long as their device. Env {@code MECGW_RETENTION_REPORTED_TWINS}.
     * Default: none.
     */
    Optional<Duration> reportedTwins();

    /**
     * Readings dated more than this ahead of now (devices with wrong clocks) are deleted; partition retention never
     * reaches them. Env {@code MECGW_RETENTION_FUTURE_TELEMETRY}. Default {@code 1d}.
     */
    @WithDefault("1d")
    Duration futureTelemetry();

    /**
     * Least age of a retention marker before it is dropped; it is dropped only once every logical slot confirmed
     * past it as well. Env {@code MECGW_RETENTION_MARKS_KEEP}. Default {@code 1d}.
     */
    @WithDefault("1d")
    Duration marksKeep();
}
