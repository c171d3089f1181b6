package dev.mecgw.inference.vision;

/**
 * One class of a classification result.
 *
 * @param index output index
 * @param label class name (the index as text when the model has no labels)
 * @param score probability in 0..1
 */
record ClassScore(int index, String label, double score) {}
