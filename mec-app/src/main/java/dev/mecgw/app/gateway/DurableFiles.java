package dev.mecgw.app.gateway;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files that must survive a power cut whole or not at all (issue 14 item 8): the bytes go to a temp
 * file in the same directory, which is fsynced, renamed over (or linked to) the target, and the directory is
 * fsynced so that the rename itself is on disk. A crash at any point leaves either the old file or the new
 * one, never an empty or torn one; a leftover {@code .*.tmp} file is never read as the target.
 */
public final class DurableFiles {

    private static final FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private DurableFiles() {}

    /** Replaces {@code target} with {@code bytes}, owner-only (0600); creates the parent directories. */
    public static void replace(Path target, byte[] bytes) throws IOException {
        Path tmp = durableTemp(target, bytes);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(target.getParent());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Creates {@code target} with {@code bytes} (0600) unless it exists; a concurrent creator wins and this
     * call returns {@code false}. A hard link, unlike rename(2), never replaces an existing file.
     */
    public static boolean createNew(Path target, byte[] bytes) throws IOException {
        Path tmp = durableTemp(target, bytes);
        try {
            Files.createLink(target, tmp);
            syncDirectory(target.getParent());
            return true;
        } catch (FileAlreadyExistsException raced) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path durableTemp(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", OWNER_ONLY);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    /** fsync of a directory, so that a rename or link in it is durable (Linux allows opening it read-only). */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir.toAbsolutePath(), StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
