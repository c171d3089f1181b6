package dev.mecgw.inference;

import static dev.mecgw.testsupport.arch.AreaEntries.mainClassesOf;
import static dev.mecgw.testsupport.arch.AreaEntries.onePublicEntryPerArea;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The library's own architecture rule (issue 13; the cross-module rules are mec-app's {@code ArchitectureTest}):
 * each area exposes its entry class, the few classes mec-app's {@code inference.app} builds itself, and the types of
 * their public API; everything else is package-private. A violation fails {@code ./mvnw verify} naming the rule.
 */
class ArchitectureTest {

    /** Per area: the entry first, then the classes mec-app builds itself, with why. */
    private static final Map<String, List<String>> LISTED = Map.of(
            "camera", List.of("CameraPulls"),
            // ModelCounters: the per-model and per-version counters the sensor and vision pipelines share (review D3).
            "model", List.of("FileModelRegistry", "ModelCounters"),
            // InferenceWorkers: the one bounded pool the sensor and vision pipelines share, built by the wiring.
            // InferenceException: the library's one error (unchecked, so in no signature); mec-app maps its Reason.
            "onnx", List.of("OnnxModelLoader", "InferenceWorkers", "InferenceException"),
            // RobustZScoreFitter: fits a sensor model from history for the REST "fit" call.
            "sensor", List.of("SensorPipeline", "RobustZScoreFitter"),
            // FrameDecoder: front-ends check a frame's size before queueing it; FileFrameArchive and
            // ImageIoThumbnails: the file implementations of VisionOutputs' contracts.
            "vision", List.of("VisionPipeline", "FrameDecoder", "FileFrameArchive", "ImageIoThumbnails"));

    @Test
    void eachAreaExposesOnlyItsEntryAndItsApiTypes() {
        onePublicEntryPerArea("dev.mecgw.inference", LISTED).check(mainClassesOf("dev.mecgw.inference"));
    }
}
