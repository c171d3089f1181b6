package dev.mecgw.app.inference;

import dev.mecgw.inference.onnx.SessionSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** Local ONNX inference under {@code mecgw.inference}. */
@ConfigMapping(prefix = "mecgw.inference")
public interface InferenceConfig {

    /**
     * Inference worker threads; every model run goes through them, never through an event loop.
     * Env {@code MECGW_INFERENCE_WORKERS}. Default {@code 0}, meaning half the available cores (at least 1).
     */
    @WithDefault("0")
    @Min(0) @Max(256) int workers();

    /**
     * Runs that may wait for a worker; beyond that, submissions fail fast (HTTP 503).
     * Env {@code MECGW_INFERENCE_QUEUE_CAPACITY}. Default {@code 64}.
     */
    @WithDefault("64")
    @Min(1) int queueCapacity();

    /**
     * ONNX Runtime threads inside one operator, per session. Env {@code MECGW_INFERENCE_INTRA_OP_THREADS}.
     * Default {@code 1}, so that the worker count alone bounds the cores used; 0 lets ONNX Runtime choose.
     */
    @WithDefault("1")
    @Min(0) int intraOpThreads();

    /** ONNX Runtime threads across operators, per session. Env {@code MECGW_INFERENCE_INTER_OP_THREADS}. Default {@code 1}. */
    @WithDefault("1")
    @Min(0) int interOpThreads();

    /**
     * Graph optimization level: NONE, BASIC, EXTENDED or ALL. Env {@code MECGW_INFERENCE_OPTIMIZATION}.
     * Default {@code ALL}.
     */
    @WithDefault("ALL")
    SessionSettings.Optimization optimization();

    /**
     * Use the CUDA execution provider when the ONNX Runtime on the class path has it; the CPU otherwise.
     * Env {@code MECGW_INFERENCE_CUDA}. Default {@code false}.
     */
    @WithDefault("false")
    boolean cuda();

    /**
     * Models folder, relative to {@code mecgw.data-dir} unless absolute. Env {@code MECGW_INFERENCE_MODELS_DIR}.
     * Default {@code models}.
     */
    @WithDefault("models")
    String modelsDir();

    /**
     * Largest accepted model upload in bytes. Env {@code MECGW_INFERENCE_MAX_MODEL_BYTES}. Default {@code 10485760}
     * (10 MiB, Quarkus' {@code quarkus.http.limits.max-body-size}; raise both together for bigger models).
     */
    @WithDefault("10485760")
    @Min(1) long maxModelBytes();

    /**
     * Registry name of the model that camera frames go through; frames fail (counted) until it is installed.
     * Env {@code MECGW_INFERENCE_VISION_MODEL}. Default {@code vision}.
     */
    @WithDefault("vision")
    String visionModel();

    /**
     * Registry name of the model that telemetry windows go through; also the name a fit installs under.
     * Env {@code MECGW_INFERENCE_SENSOR_MODEL}. Default {@code sensor-anomaly}.
     */
    @WithDefault("sensor-anomaly")
    String sensorModel();

    /** Readings per sensor window. Env {@code MECGW_INFERENCE_SENSOR_WINDOW}. Default {@code 16}. */
    @WithDefault("16")
    @Min(1) @Max(100000) int sensorWindow();

    /**
     * Readings between consecutive windows of one device and metric; equal to the window gives disjoint windows.
     * Env {@code MECGW_INFERENCE_SENSOR_STRIDE}. Default {@code 16}.
     */
    @WithDefault("16")
    @Min(1) int sensorStride();

    /** Windows per batched model run. Env {@code MECGW_INFERENCE_SENSOR_BATCH}. Default {@code 32}. */
    @WithDefault("32")
    @Min(1) int sensorBatch();

    /**
     * Width in pixels of the JPEG thumbnail kept for each vision event, under {@code <data-dir>/thumbnails};
     * 0 stores none. Env {@code MECGW_INFERENCE_THUMBNAIL_WIDTH}. Default {@code 160}.
     */
    @WithDefault("160")
    @Min(0) @Max(1024) int thumbnailWidth();

    /** Thumbnails kept per camera, oldest deleted first. Env {@code MECGW_INFERENCE_THUMBNAILS_PER_CAMERA}. Default {@code 100}. */
    @WithDefault("100")
    @Min(1) int thumbnailsPerCamera();

    /**
     * Raw frames kept per camera under {@code <data-dir>/frames}, as received, for the frames behind events
     * (oldest deleted first); 0 keeps none, so raw frames are dropped once analyzed.
     * Env {@code MECGW_INFERENCE_FRAMES_PER_CAMERA}. Default {@code 0}.
     */
    @WithDefault("0")
    @Min(0) int framesPerCamera();

    /** Cameras the gateway pulls MJPEG-over-HTTP streams from. */
    Mjpeg mjpeg();

    /**
     * A device of type {@link #deviceType()} whose label {@link #urlLabel()} holds an absolute http(s) URL
     * ({@code multipart/x-mixed-replace}) is pulled; its frames enter the vision pipeline like pushed ones.
     */
    interface Mjpeg {

        /** Device type checked for a stream URL. Env {@code MECGW_INFERENCE_MJPEG_DEVICE_TYPE}. Default {@code camera}. */
        @WithDefault("camera")
        String deviceType();

        /**
         * Label that holds the stream URL; user info in it becomes HTTP Basic authorization and is never
         * logged (admins reading the device still see it). Env {@code MECGW_INFERENCE_MJPEG_URL_LABEL}.
         * Default {@code mjpeg-url}.
         */
        @WithDefault("mjpeg-url")
        String urlLabel();

        /**
         * How often the registry is read for added, changed or removed stream URLs (and stalled streams are
         * reconnected). Env {@code MECGW_INFERENCE_MJPEG_POLL_INTERVAL}. Default {@code 10s}.
         */
        @WithDefault("10s")
        Duration pollInterval();

        /** Limit for connecting and receiving response headers. Env {@code MECGW_INFERENCE_MJPEG_CONNECT_TIMEOUT}. Default {@code 5s}. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Wait before the first reconnect; doubles per failure. Env {@code MECGW_INFERENCE_MJPEG_BACKOFF_MIN}. Default {@code 1s}. */
        @WithDefault("1s")
        Duration backoffMin();

        /** Longest wait between reconnects. Env {@code MECGW_INFERENCE_MJPEG_BACKOFF_MAX}. Default {@code 30s}. */
        @WithDefault("30s")
        Duration backoffMax();

        /**
         * A connected stream without a frame for this long is reconnected (checked every poll interval).
         * Env {@code MECGW_INFERENCE_MJPEG_STALL_TIMEOUT}. Default {@code 30s}.
         */
        @WithDefault("30s")
        Duration stallTimeout();

        /** Largest accepted frame in bytes. Env {@code MECGW_INFERENCE_MJPEG_MAX_FRAME_BYTES}. Default {@code 8388608} (8 MiB). */
        @WithDefault("8388608")
        @Min(1024) int maxFrameBytes();
    }
}
