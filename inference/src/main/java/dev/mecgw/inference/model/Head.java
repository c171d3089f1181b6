package dev.mecgw.inference.model;

/** How a model's outputs are turned into results. */
public enum Head {
    /** Vision: one score per label (logits or probabilities); top-k with labels. */
    CLASSIFICATION,
    /** Vision: UltraFace/SSD-style {@code scores [1,N,2]} and corner-form {@code boxes [1,N,4]}; threshold + NMS. */
    ULTRAFACE,
    /**
     * Vision: YOLOv5-style {@code [1,N,5+C]} rows ({@code cx,cy,w,h} in input pixels, objectness, class scores);
     * threshold + NMS per class.
     */
    YOLO,
    /** Vision: YOLOv8-style {@code [1,4+C,N]} columns ({@code cx,cy,w,h} in input pixels, class scores). */
    YOLO_V8,
    /** Sensor: the first output is the anomaly score, one per window. */
    SCORE,
    /** Sensor: the output reconstructs the input; the score is the mean squared error. */
    RECONSTRUCTION;

    /** Whether this head belongs to a vision model. */
    public boolean vision() {
        return this == CLASSIFICATION || this == ULTRAFACE || this == YOLO || this == YOLO_V8;
    }
}
