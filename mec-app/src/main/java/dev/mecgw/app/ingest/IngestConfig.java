package dev.mecgw.app.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.time.Instant;

/** The telemetry ingest pipeline under {@code mecgw.ingest}. */
@ConfigMapping(prefix = "mecgw.ingest")
public interface IngestConfig {

    /** Most readings written in one database transaction. Default 2000. */
    @WithDefault("2000")
    @Min(1) @Max(100_000) int batchSize();

    /**
     * How long the writer waits for more readings before committing a partial batch; bounds the extra
     * acknowledgement latency a device sees. Default {@code 2ms}.
     */
    @WithDefault("2ms")
    Duration linger();

    /**
     * Most device messages waiting for a commit. Beyond it submissions fail fast with QUOTA_EXCEEDED
     * instead of growing the heap; devices retry unacknowledged QoS 1/2 messages. Default 100000.
     */
    @WithDefault("100000")
    @Min(1) int queueCapacity();

    /**
     * Most bytes of readings waiting for a commit, all devices together (issue 15 item 4): the queue is bounded in
     * bytes, not only in messages; beyond it submissions fail with QUOTA_EXCEEDED. Env
     * {@code MECGW_INGEST_QUEUE_MAX_BYTES}. Default 67108864 (64 MiB).
     */
    @WithDefault("67108864")
    @Min(65536) long queueMaxBytes();

    /**
     * Most bytes of readings one device may have waiting; once the queue is half full a device is also held to
     * its fair share of the half, so that a flooding device is throttled (QUOTA_EXCEEDED, event
     * {@code telemetry.throttled}) before others are refused. Env {@code MECGW_INGEST_DEVICE_MAX_BYTES}. Default
     * 8388608 (8 MiB).
     */
    @WithDefault("8388608")
    @Min(4096) long deviceMaxBytes();

    /**
     * Most readings in one device message; more are refused as a bad request (MQTT 5 0x99, CoAP 4.00). Env
     * {@code MECGW_INGEST_MAX_READINGS_PER_MESSAGE}. Default 10000.
     */
    @WithDefault("10000")
    @Min(1) int maxReadingsPerMessage();

    /** Parallel writer threads (each with its own connection). Default 2. */
    @WithDefault("2")
    @Min(1) @Max(16) int writers();

    /**
     * Oldest accepted reading time; older readings are refused with "payload format invalid" (a device whose
     * clock has not synced, or a hostile one, must not fail other devices' batches: issue 15). Default
     * {@code 2000-01-01T00:00:00Z}.
     */
    @WithDefault("2000-01-01T00:00:00Z")
    Instant earliestTimestamp();

    /** How far past the gateway's clock a reading time may lie (device clock drift). Default {@code 24h}. */
    @WithDefault("24h")
    Duration maxFutureSkew();
}
