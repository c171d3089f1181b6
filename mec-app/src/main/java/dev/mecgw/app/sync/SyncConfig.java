package dev.mecgw.app.sync;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Change-data-capture to the cloud under {@code mecgw.sync}. Without {@code mecgw.sync.kafka.bootstrap-servers}
 * nothing is captured and health and metrics report sync as "not configured".
 */
@ConfigMapping(prefix = "mecgw.sync")
public interface SyncConfig {

    /** The cloud Kafka. */
    Kafka kafka();

    /**
     * Tables replicated to the cloud, {@code schema.table}; every other table is local-only. Raw {@code telemetry}
     * stays local by default ("only relevant data goes to the cloud"); {@code mecgw_downlink_applied} carries the
     * downlink acknowledgements, {@code mecgw_model_installs} the model rollout reports (issue 18). Env
     * {@code MECGW_SYNC_TABLES}. Default
     * {@code public.devices,public.device_twins,public.events,public.mecgw_downlink_applied,public.mecgw_model_installs}.
     */
    @WithDefault("public.devices,public.device_twins,public.events,public.mecgw_downlink_applied,"
            + "public.mecgw_model_installs")
    List<@Pattern(regexp = "[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*") String> tables();

    /**
     * Bulk tables: replicated by a second capture with its own slot ({@code <slot-name>_bulk}), so that after an
     * outage events and twins drain without queueing behind bulk rows, and so that the disk guard can reset the bulk
     * slot alone. Env {@code MECGW_SYNC_BULK_TABLES}. Default {@code public.telemetry_rollup_1m}.
     */
    @WithDefault("public.telemetry_rollup_1m")
    List<@Pattern(regexp = "[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*") String> bulkTables();

    /**
     * Columns that leave the site only as an HMAC-SHA256 with the site secret, {@code schema.table.column}. Env
     * {@code MECGW_SYNC_MASK_COLUMNS}. Default {@code public.devices.supi,public.devices.gpsi}.
     */
    @WithDefault("public.devices.supi,public.devices.gpsi")
    List<@Pattern(regexp = "[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*") String> maskColumns();

    /**
     * Values nested in JSON columns that leave the site only as an HMAC, qualified column to JSON paths, e.g.
     * {@code mecgw.sync.mask-paths."public.events.payload"=$..gpsi,$..ueAddress}. {@code $.a.b} names a member (looking
     * into arrays on the way), {@code $..a} a member at any depth. Defaults (in application.properties, since a map has
     * no annotation default): every identifier the gateway itself writes into event payloads
     * ({@code gpsi, supi, msisdn, externalId, ueAddress, ueIpv4, ueIpAddr, ueMacAddr} at any depth) and the UE address
     * and camera URL labels of devices ({@code $.ue-ipv4}, {@code $.mjpeg-url}). Env: not settable per key; use
     * application.properties.
     */
    Map<String, List<String>> maskPaths();

    /**
     * Row filters, qualified replicated table to a SQL predicate over its columns, e.g.
     * {@code mecgw.sync.row-filters."public.events"=kind <> 'debug'}. Only rows for which it is TRUE leave the site;
     * an update that makes a row fail it is sent as a delete. Supported: {@code = <> < <= > >=},
     * {@code IS [NOT] NULL}, {@code [NOT] IN (...)}, {@code AND}, {@code OR}, {@code NOT}, parentheses, text and
     * number literals, {@code TRUE}/{@code FALSE}. Checked against the database at start-up: a bad filter stops the
     * gateway with the reason. Default: none (all rows of a replicated table leave).
     */
    Map<String, String> rowFilters();

    /**
     * The site secret for masking, Base64 of at least 32 bytes; absent: generated once into
     * {@code <data-dir>/sync-mask.key} (mode 0600). Never logged. Env {@code MECGW_SYNC_MASK_SECRET}. Default: none.
     */
    Optional<String> maskSecret();

    /**
     * Backlog of the bulk slot, in bytes, at which the disk guard resets it (its tables are snapshotted again).
     * Env {@code MECGW_SYNC_BULK_BACKLOG_CAP_BYTES}. Default {@code 4294967296} (4 GiB).
     */
    @WithDefault("4294967296")
    long bulkBacklogCapBytes();

    /**
     * Longest time one bulk batch waits for the critical capture to drain (issue 14.7, docs/sync.md "Priority
     * lanes"); after it the batch goes even while critical changes wait, so that a stuck critical capture cannot
     * starve the bulk tables for ever. Env {@code MECGW_SYNC_BULK_MAX_PAUSE}. Default {@code 5m}.
     */
    @WithDefault("5m")
    Duration bulkMaxPause();

    /**
     * PostgreSQL's {@code max_slot_wal_keep_size} set at start-up (ALTER SYSTEM) as the last-resort cap for all slots,
     * e.g. {@code 16GB}; absent leaves the server setting alone. Env {@code MECGW_SYNC_MAX_SLOT_WAL_KEEP_SIZE}.
     * Default: none.
     */
    Optional<@Pattern(regexp = WalKeepSize.SYNTAX) String> maxSlotWalKeepSize();

    /**
     * Name of the logical replication slot (and of the publication). The slot keeps WAL until the cloud
     * acknowledged it. Env {@code MECGW_SYNC_SLOT_NAME}. Default {@code mecgw_sync}.
     */
    @WithDefault("mecgw_sync")
    @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}") String slotName();

    /**
     * How often acknowledged offsets are stored in the local {@code mecgw_sync_offsets} table; a crash replays
     * at most this much, which the cloud applier skips. Env {@code MECGW_SYNC_OFFSET_FLUSH_INTERVAL}. Default {@code 1s}.
     */
    @WithDefault("1s")
    Duration offsetFlushInterval();

    /**
     * How long changes may wait unacknowledged before the backhaul counts as down. Env
     * {@code MECGW_SYNC_DOWN_AFTER}. Default {@code 10s}.
     */
    @WithDefault("10s")
    Duration downAfter();

    /**
     * Replication-slot backlog in bytes at which the {@code mecgw_sync_disk_alarm} metric turns 1 and health
     * reports the alarm. Env {@code MECGW_SYNC_BACKLOG_ALARM_BYTES}. Default {@code 1073741824} (1 GiB).
     */
    @WithDefault("1073741824")
    long backlogAlarmBytes();

    /**
     * How often an idle capture's backhaul is probed and the cloud Kafka clients are retried while they do not
     * exist yet (a producer notices a dead link only when it sends). Env {@code MECGW_SYNC_PROBE_INTERVAL}.
     * Default {@code 5s}.
     */
    @WithDefault("5s")
    Duration probeInterval();

    /** How long one backhaul probe waits for the cloud Kafka. Env {@code MECGW_SYNC_PROBE_TIMEOUT}. Default {@code 4s}. */
    @WithDefault("4s")
    Duration probeTimeout();

    /**
     * How often the backlog (rows and age) of each slot is sampled: the time resolution of the backlog gauges and
     * health. Two statistics reads per slot. Env {@code MECGW_SYNC_BACKLOG_SAMPLE_INTERVAL}. Default {@code 1s}.
     */
    @WithDefault("1s")
    Duration backlogSampleInterval();

    /**
     * How often the disk guard checks the slots' backlog against {@code bulk-backlog-cap-bytes}; the cap, not the
     * period, bounds the disk. Env {@code MECGW_SYNC_DISK_GUARD_INTERVAL}. Default {@code 30s}.
     */
    @WithDefault("30s")
    Duration diskGuardInterval();

    /** How often the one-minute telemetry rollups are refreshed. Env {@code MECGW_SYNC_ROLLUP_INTERVAL}. Default {@code 60s}. */
    @WithDefault("60s")
    Duration rollupInterval();

    /**
     * How far back each rollup refresh looks, so that late readings are counted. Env
     * {@code MECGW_SYNC_ROLLUP_LOOK_BACK}. Default {@code 10m}.
     */
    @WithDefault("10m")
    Duration rollupLookBack();

    /**
     * Period of the gateway heartbeat on {@code mecgw.heartbeats} (docs/cloud.md), sent while the backhaul is up and
     * never buffered across an outage. Env {@code MECGW_SYNC_HEARTBEAT_INTERVAL}. Default {@code 10s}.
     */
    @WithDefault("10s")
    Duration heartbeatInterval();

    /**
     * Further Debezium PostgreSQL connector properties, passed through unchanged, e.g.
     * {@code mecgw.sync.debezium."max.batch.size"=4096}. Default: none.
     */
    @WithName("debezium")
    Map<String, String> debezium();

    /** The cloud Kafka under {@code mecgw.sync.kafka}. */
    interface Kafka {

        /**
         * Bootstrap servers of the cloud Kafka, {@code host:port,...}; absent turns sync off. Env
         * {@code MECGW_SYNC_KAFKA_BOOTSTRAP_SERVERS}. Default: none.
         */
        Optional<String> bootstrapServers();

        /**
         * Producer compression, {@code zstd} or {@code lz4}. Env {@code MECGW_SYNC_KAFKA_COMPRESSION}. Default
         * {@code zstd}.
         */
        @WithDefault("zstd")
        @Pattern(regexp = "zstd|lz4|gzip|snappy|none") String compression();

        /**
         * Further producer properties passed through unchanged, typically TLS and SASL, e.g.
         * {@code mecgw.sync.kafka.properties."security.protocol"=SASL_SSL}. Default: none.
         */
        Map<String, String> properties();
    }
}
