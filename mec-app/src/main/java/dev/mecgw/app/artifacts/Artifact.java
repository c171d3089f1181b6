package dev.mecgw.app.artifacts;

import java.time.Instant;

/**
 * A stored artifact (firmware image, model file) as the API returns it.
 *
 * @param name the artifact's name, unique; a path segment
 * @param size length in bytes
 * @param sha256 lower-case hex SHA-256 of the content, computed while storing
 * @param storedAt when this version was stored
 */
public record Artifact(String name, long size, String sha256, Instant storedAt) {}
