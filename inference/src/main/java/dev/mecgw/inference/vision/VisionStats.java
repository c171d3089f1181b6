package dev.mecgw.inference.vision;

/**
 * Frame counters of a vision pipeline since start.
 *
 * @param processed frames analyzed
 * @param dropped frames replaced by a newer frame of the same camera before a worker took them
 * @param undecodable frames that were no readable JPEG or PNG
 * @param failed frames whose run or event storage failed
 */
public record VisionStats(long processed, long dropped, long undecodable, long failed) {}
