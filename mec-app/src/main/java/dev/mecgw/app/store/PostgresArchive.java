package dev.mecgw.app.store;

import java.io.IOException;
import java.io.InputStream;

/**
 * The embedded PostgreSQL's binaries as zonky ships them: one xz-compressed tar. Its identity is known without
 * reading it, so that a start whose binaries are already extracted never touches its bytes (issue 22 item 4).
 */
interface PostgresArchive {

    /**
     * Names the archive's content without reading it (its name and size; where the source records one, its
     * checksum). Two archives with the same identity are taken to be the same archive.
     *
     * @throws IOException when the source cannot be inspected
     */
    String identity() throws IOException;

    /**
     * Opens the archive for extraction; the caller closes the stream.
     *
     * @throws IOException when the archive cannot be opened
     */
    InputStream open() throws IOException;
}
