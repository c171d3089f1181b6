package dev.mecgw.app.artifacts;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Named binary artifacts under the data directory. A put is atomic: readers see the old or the new
 * version, never a mix, and a failed put leaves the old version. Blocking file I/O; thread-safe.
 */
public interface ArtifactStore {

    /**
     * Stores (or replaces) an artifact, computing its SHA-256 on the way.
     *
     * @param name 1..128 letters, digits, '.', '_' or '-', not starting with '.'
     * @param content the raw bytes; read to the end, not closed
     * @return the stored artifact
     * @throws dev.mecgw.app.problem.GatewayException BAD_REQUEST for an invalid name or empty content,
     *     QUOTA_EXCEEDED when the content exceeds the configured maximum size
     */
    Artifact put(String name, InputStream content);

    /** The artifact with this name, if stored. */
    Optional<Artifact> find(String name);

    /**
     * Every stored artifact, by name (the console's updates screen).
     *
     * @throws dev.mecgw.app.problem.GatewayException unavailable when the store cannot be read
     */
    java.util.List<Artifact> list();

    /**
     * Reads part of an artifact's content.
     *
     * @param artifact as returned by {@link #find}; the content of exactly that version is read
     * @param offset byte offset from the start
     * @param into filled up to its remaining space or the end of the content
     * @return bytes read, 0 at or after the end
     * @throws dev.mecgw.app.problem.GatewayException NOT_FOUND when that version was replaced meanwhile
     */
    int read(Artifact artifact, long offset, ByteBuffer into);
}
