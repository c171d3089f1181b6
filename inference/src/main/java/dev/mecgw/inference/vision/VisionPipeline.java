package dev.mecgw.inference.vision;

import dev.mecgw.inference.event.InferenceEvent;
import dev.mecgw.inference.model.ModelCounters;
import dev.mecgw.inference.model.ModelLease;
import dev.mecgw.inference.model.ModelRegistry;
import dev.mecgw.inference.onnx.InferenceException;
import dev.mecgw.inference.onnx.InferenceWorkers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Camera frames → current vision model → event rows. Backpressure keeps only the newest waiting frame per
 * camera: a frame that arrives while an older one of the same camera still waits replaces it, and the older
 * one counts as dropped. A camera is served one frame per turn, and at most by one worker at a time, so a
 * busy camera cannot starve the others. Raw frames are garbage once analyzed, unless the outputs' frame
 * archive keeps those behind events. {@link #submit} never blocks.
 */
public final class VisionPipeline {

    /**
     * Counter of analyzed frames and of what they produced, per model version (issue 18 item 5): tags {@code model},
     * {@code version}, {@code outcome} ({@code frames}: frames the version ran on; {@code detections}: its
     * detections, or for a classification head the frames whose top class reached the score threshold). A model
     * rollout's health gate compares the detections per frame of a new version with the previous one's. A meter of
     * its own, since {@code mecgw.inference.frames} has no version tag.
     */
    public static final String OUTPUTS = "mecgw.inference.vision.outputs";

    private static final Logger LOG = Logger.getLogger(VisionPipeline.class);

    private final ModelRegistry registry;
    private final String modelName;
    private final InferenceWorkers workers;
    private final VisionOutputs outputs;
    private final FrameDecoder decoder;
    private final FrameAnalyzer analyzer = new FrameAnalyzer();
    private final Map<String, CameraSlot> cameras = new ConcurrentHashMap<>();
    private final Counter processed;
    private final Counter dropped;
    private final Counter undecodable;
    private final Counter failed;
    private final ModelCounters versionOutputs;

    /**
     * @param modelName the registry name of the vision model to run; resolved per frame, so hot swaps apply
     *        from the next frame on
     */
    public VisionPipeline(
            ModelRegistry registry,
            String modelName,
            InferenceWorkers workers,
            VisionOutputs outputs,
            MeterRegistry meters) {
        this(registry, modelName, workers, outputs, meters, FrameDecoder.DEFAULT_MAX_PIXELS);
    }

    /**
     * @param maxFramePixels most pixels a frame may state in its header; larger frames are counted as
     *        undecodable without being decoded (issue 15: decompression bombs, also from MJPEG pulls)
     */
    public VisionPipeline(
            ModelRegistry registry,
            String modelName,
            InferenceWorkers workers,
            VisionOutputs outputs,
            MeterRegistry meters,
            long maxFramePixels) {
        this.decoder = new FrameDecoder(maxFramePixels);
        this.registry = registry;
        this.modelName = modelName;
        this.workers = workers;
        this.outputs = outputs;
        ModelCounters frames = new ModelCounters("mecgw.inference.frames", "Camera frames by outcome", meters);
        this.processed = frames.of(modelName, "processed");
        this.dropped = frames.of(modelName, "dropped");
        this.undecodable = frames.of(modelName, "undecodable");
        this.failed = frames.of(modelName, "failed");
        this.versionOutputs =
                new ModelCounters(OUTPUTS, "Camera frames analyzed and their detections, by model version", meters);
    }

    /** Queues a frame, replacing (and counting as dropped) an older one of the same camera still waiting. */
    public void submit(CameraFrame frame) {
        CameraSlot slot = cameras.computeIfAbsent(frame.cameraId(), id -> new CameraSlot());
        if (slot.latest.getAndSet(frame) != null) {
            dropped.increment();
        }
        schedule(slot);
    }

    private void schedule(CameraSlot slot) {
        if (slot.scheduled.compareAndSet(false, true)) {
            workers.submit(() -> {
                        analyzeOne(slot);
                        return null;
                    })
                    .exceptionally(e -> {
                        // Pool saturated: the waiting frame is dropped; the camera's next frame reschedules.
                        slot.scheduled.set(false);
                        if (slot.latest.getAndSet(null) != null) {
                            dropped.increment();
                        }
                        return null;
                    });
        }
    }

    /**
     * Analyzes the camera's newest frame, then queues the camera again behind the others if another frame
     * arrived meanwhile: one frame per turn keeps a busy camera from monopolizing a worker.
     */
    private void analyzeOne(CameraSlot slot) {
        CameraFrame frame = slot.latest.getAndSet(null);
        if (frame != null) {
            process(frame);
        }
        slot.scheduled.set(false);
        // A frame that arrived while the flag was still set found it taken; pick it up here.
        if (slot.latest.get() != null) {
            schedule(slot);
        }
    }

    private void process(CameraFrame frame) {
        long start = System.nanoTime();
        BufferedImage image;
        try {
            image = decoder.decode(frame.bytes());
        } catch (InferenceException e) {
            undecodable.increment();
            LOG.debugf("Undecodable frame from %s: %s", frame.cameraId(), e.getMessage());
            return;
        }
        long decodeNanos = System.nanoTime() - start;
        try (ModelLease lease = registry.lease(modelName)) {
            VisionResult result = analyzer.analyze(image, lease, decodeNanos);
            processed.increment();
            double scoreThreshold = lease.metadata().threshold("score", 0.5);
            // Detections before the frame: whoever reads both counters never sees a frame without its detections.
            versionOutputs
                    .of(result.model(), result.version(), "detections")
                    .increment(detections(result, scoreThreshold));
            versionOutputs.of(result.model(), result.version(), "frames").increment();
            InferenceEvent event = toEvent(frame, result, scoreThreshold);
            if (event != null) {
                Map<String, Object> payload = new LinkedHashMap<>(event.payload());
                // Boxes are in the frame's pixels: a viewer drawing them over a thumbnail needs the frame's size.
                payload.put("frameWidth", image.getWidth());
                payload.put("frameHeight", image.getHeight());
                outputs.thumbnails()
                        .store(frame.cameraId(), frame.receivedAt(), image)
                        .ifPresent(path -> payload.put("thumbnail", path));
                outputs.frames()
                        .keep(frame.cameraId(), frame.receivedAt(), frame.bytes())
                        .ifPresent(path -> payload.put("frame", path));
                outputs.events().publish(List.of(new InferenceEvent(event.deviceId(), event.kind(), payload)));
            }
        } catch (InferenceException e) {
            failed.increment();
            LOG.warnf("Frame from %s not analyzed: %s", frame.cameraId(), e.getMessage());
        } catch (RuntimeException e) {
            failed.increment();
            LOG.warnf(e, "Frame from %s: storing the result failed", frame.cameraId());
        }
    }

    /** What one frame counts towards the detection rate: the same results that {@link #toEvent} reports. */
    static int detections(VisionResult result, double scoreThreshold) {
        if (!result.detections().isEmpty()) {
            return result.detections().size();
        }
        return confidentClass(result, scoreThreshold) ? 1 : 0;
    }

    private static boolean confidentClass(VisionResult result, double scoreThreshold) {
        return !result.classes().isEmpty() && result.classes().get(0).score() >= scoreThreshold;
    }

    static InferenceEvent toEvent(CameraFrame frame, VisionResult result, double scoreThreshold) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("model", result.model());
        payload.put("version", result.version());
        payload.put("frameReceivedAt", frame.receivedAt().toString());
        if (!result.detections().isEmpty()) {
            payload.put(
                    "detections",
                    result.detections().stream().map(VisionPipeline::detection).toList());
            return new InferenceEvent(frame.cameraId(), "inference.detection", payload);
        }
        if (confidentClass(result, scoreThreshold)) {
            payload.put(
                    "classes",
                    result.classes().stream()
                            .map(c -> Map.of("label", c.label(), "score", round(c.score(), 4)))
                            .toList());
            return new InferenceEvent(frame.cameraId(), "inference.classification", payload);
        }
        return null;
    }

    private static Map<String, Object> detection(Detection d) {
        BoundingBox b = d.box();
        return Map.of(
                "label",
                d.label(),
                "score",
                round(d.score(), 4),
                "box",
                List.of(round(b.x1(), 1), round(b.y1(), 1), round(b.x2(), 1), round(b.y2(), 1)));
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    /** Counters since start. */
    public VisionStats stats() {
        return new VisionStats(
                (long) processed.count(), (long) dropped.count(), (long) undecodable.count(), (long) failed.count());
    }

    private static final class CameraSlot {
        final AtomicReference<CameraFrame> latest = new AtomicReference<>();
        final AtomicBoolean scheduled = new AtomicBoolean();
    }
}
