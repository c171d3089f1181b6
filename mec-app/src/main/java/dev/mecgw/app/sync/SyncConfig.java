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
     * stays local by default ("only relevant data goes to the cloud"). Env {@code MECGW_SYNC_TABLES}.
     * Default {@code public.devices,public.device_twins,public.events}.
     */
    @WithDefault("public.devices,public.device_twins,public.events")
    List<@Pattern(regexp = "[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*") String> tables();

    /**
     * Name of the logical replication slot (and of the publication). The slot keeps WAL until the cloud
     * acknowledged it. Env {@code MECGW_SYNC_SLOT_NAME}. Default {@code mecgw_sync}.
     */
    @WithDefault("mecgw_sync")
    @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}")
    String slotName();

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
        @Pattern(regexp = "zstd|lz4|gzip|snappy|none")
        String compression();

        /**
         * Further producer properties passed through unchanged, typically TLS and SASL, e.g.
         * {@code mecgw.sync.kafka.properties."security.protocol"=SASL_SSL}. Default: none.
         */
        Map<String, String> properties();
    }
}
