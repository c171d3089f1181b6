package dev.mecgw.app.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * Owner-only files in the data directory (the admin token, the secrets key). Created once, atomically,
 * with mode 0600 so that a crash never leaves a half-written or world-readable secret behind.
 */
public final class DataDirectory {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;

    public DataDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Resolves a path inside the data directory. */
    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    /**
     * Returns the content of an owner-only secret file, creating it with {@code length} random bytes when
     * it does not exist yet; with {@code text}, the file holds those bytes as URL-safe Base64 text instead,
     * so that an operator can {@code cat} it.
     *
     * @return whether the file was created by this call, and its bytes
     */
    public Secret secret(String relative, int length, boolean text) {
        Path file = root.resolve(relative);
        try {
            if (Files.exists(file)) {
                return new Secret(file, Files.readAllBytes(file), false);
            }
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[length];
            RANDOM.nextBytes(bytes);
            if (text) {
                bytes = java.util.Base64.getUrlEncoder().withoutPadding().encode(bytes);
            }
            Path tmp = Files.createTempFile(
                    file.getParent(),
                    ".secret",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                Files.deleteIfExists(tmp);
                return new Secret(file, Files.readAllBytes(file), false);
            }
            return new Secret(file, bytes, true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create " + file, e);
        }
    }

    /** A secret file's location and bytes. */
    public record Secret(Path file, byte[] bytes, boolean created) {}
}
