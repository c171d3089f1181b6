package dev.mecgw.inference.vision;

/**
 * One detected object, in pixel coordinates of the original frame.
 *
 * @param label class name
 * @param score confidence in 0..1
 * @param box the box
 */
record Detection(String label, double score, BoundingBox box) {}
