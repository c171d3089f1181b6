package dev.mecgw.inference.model;

import java.util.List;
import java.util.Optional;

/**
 * The installed models, one current version per name. Thread-safe. Installing a version loads and checks it
 * first and swaps it in atomically only when it works, so a bad upload never interrupts the version serving.
 */
public interface ModelRegistry {

    /**
     * Verifies, loads, stores and activates a model version.
     *
     * @param metadata the declared metadata, including the SHA-256 of {@code bytes}
     * @param bytes the ONNX protobuf
     * @return the stored metadata
     * @throws dev.mecgw.inference.onnx.InferenceException {@code INVALID_METADATA}, {@code CHECKSUM_MISMATCH},
     *         {@code CORRUPT_MODEL}, {@code SIGNATURE_MISMATCH} or {@code VERSION_EXISTS}; the current version
     *         is unchanged in every case
     */
    ModelMetadata install(ModelMetadata metadata, byte[] bytes);

    /**
     * Leases the current version of a model for one or more runs.
     *
     * @throws dev.mecgw.inference.onnx.InferenceException {@code NOT_FOUND} when no version is installed
     */
    ModelLease lease(String name);

    /** Current version of a model, if any. */
    Optional<ModelMetadata> current(String name);

    /** Current versions of all models, sorted by name. */
    List<ModelMetadata> list();

    /**
     * Stored versions of a model, the current one included, oldest first (by the time they were stored).
     *
     * @return empty when the model has never been installed
     */
    List<String> versions(String name);

    /**
     * Makes a stored version the current one again, e.g. to roll back after a bad upload: verifies and loads it,
     * then swaps it in as {@link #install} does, durably (it stays current after a restart).
     *
     * @throws dev.mecgw.inference.onnx.InferenceException {@code NOT_FOUND} when no such version is stored,
     *         {@code CHECKSUM_MISMATCH} or {@code CORRUPT_MODEL} when its files no longer verify or load; the current
     *         version is unchanged in every case
     */
    ModelMetadata activate(String name, String version);
}
