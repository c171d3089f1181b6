package dev.mecgw.inference.vision;

import java.util.List;

/**
 * What a vision model made of one frame.
 *
 * @param model model name
 * @param version model version
 * @param classes top-k classes, best first (classification heads), else empty
 * @param detections detections after threshold and NMS, best first (detection heads), else empty
 * @param decodeNanos time spent decoding the image
 * @param inferenceNanos time spent in preprocessing, the model run and postprocessing
 */
record VisionResult(
        String model,
        String version,
        List<ClassScore> classes,
        List<Detection> detections,
        long decodeNanos,
        long inferenceNanos) {}
