package dev.mecgw.inference.model;

/** Which pipeline feeds a model. */
public enum ModelKind {
    /** Sliding windows of numeric telemetry. */
    SENSOR,
    /** Camera frames. */
    VISION
}
