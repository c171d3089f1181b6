package dev.mecgw.cloud.modelrollout;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** Model rollouts across sites, under {@code mecgw.cloud.model-rollouts} (docs/cloud.md, Configuration). */
@ConfigMapping(prefix = "mecgw.cloud.model-rollouts")
public interface ModelRolloutsConfig {

    /**
     * Model bytes per downlink message. Base64 in JSON grows it by a third, so the default {@code 262144} (256 KiB)
     * makes messages of about 350 kB, well under Kafka's default 1 MB {@code max.message.bytes} and the producer's
     * {@code max.request.size}; the maximum {@code 700000} still fits them. A backhaul cut costs at most one chunk.
     */
    @WithDefault("262144")
    @Min(64) @Max(700000) int chunkBytes();

    /** The largest model a rollout accepts, in bytes. Default {@code 67108864} (64 MiB). */
    @WithDefault("67108864")
    @Min(1) long maxModelBytes();

    /** How often rollouts are moved: reports read, timeouts applied, waves started. Default {@code 2s}. */
    @WithDefault("2s")
    Duration tickInterval();

    /**
     * How long a downloading site may go without reporting progress before the chunks it lacks are published again
     * (its report names them). Kafka keeps the messages for a site that is just offline, which then resumes from its
     * committed offset; this covers a topic that lost them. Default {@code 2m}.
     */
    @WithDefault("2m")
    Duration resendAfter();

    /** A request's {@code healthWindow} when it names none. Default {@code 5m}. */
    @WithDefault("5m")
    Duration healthWindow();

    /** A request's {@code siteTimeout} when it names none: longest a site may go without progress. Default {@code 30m}. */
    @WithDefault("30m")
    Duration siteTimeout();

    /** Gate tolerances used when a request names none. */
    Gate gate();

    /** Defaults of a request's {@code gate}. */
    interface Gate {

        /** Largest growth of the share of failed runs, 0..1. Default {@code 0.01}. */
        @WithDefault("0.01")
        @DecimalMin("0") double maxErrorRateIncrease();

        /**
         * Largest p99 latency of the new version as a multiple of the previous one's (the median's while either side
         * has fewer than 100 runs). Default {@code 1.5}.
         */
        @WithDefault("1.5")
        @DecimalMin("1") double maxLatencyP99Ratio();

        /** Sensor models: largest change of the anomalous-window share, 0..1, either way. Default {@code 0.2}. */
        @WithDefault("0.2")
        @DecimalMin("0") double maxDetectionRateDelta();

        /** Runs of the new version needed within the window; fewer fails the gate. Default {@code 20}. */
        @WithDefault("20")
        @Min(1) int minRuns();

        /**
         * Vision models: largest change of the detections per frame (boxes of a detection head, confident frames of a
         * classification head), either way. Default {@code 0.2}: one detection more or less in every fifth frame.
         */
        @WithDefault("0.2")
        @DecimalMin("0") double maxDetectionsPerFrameDelta();

        /**
         * Vision models: frames of the new version needed before its detections per frame are compared (the previous
         * version needs as many, else they are not compared). A site with fewer when the window closes waits one more
         * health window for them, then fails. Default {@code 100}.
         */
        @WithDefault("100")
        @Min(1) int minFrames();
    }
}
