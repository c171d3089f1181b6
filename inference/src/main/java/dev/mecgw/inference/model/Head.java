package dev.mecgw.inference.model;

/** How a model's outputs are turned into results. */
public enum Head {
    /** Vision: one score per label (logits or probabilities); top-k with labels. */
    CLASSIFICATION,
    /** Vision: UltraFace/SSD-style {@code scores [1,N,2]} and corner-form {@code boxes [1,N,4]}; threshold + NMS. */
    ULTRAFACE,
    /** Sensor: the first output is the anomaly score, one per window. */
    SCORE,
    /** Sensor: the output reconstructs the input; the score is the mean squared error. */
    RECONSTRUCTION
}
