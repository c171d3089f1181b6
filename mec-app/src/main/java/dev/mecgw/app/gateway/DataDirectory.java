package dev.mecgw.app.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * Owner-only files in the data directory (the admin token, the secrets key). Created once, atomically and
 * durably ({@link DurableFiles}), with mode 0600 so that a crash never leaves a half-written or
 * world-readable secret behind; an empty or truncated file (written by an earlier version without fsync) is
 * never taken as a secret.
 */
public final class DataDirectory {

    private static final Logger LOG = Logger.getLogger(DataDirectory.class);

    private final Path root;

    public DataDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
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
            Secret existing = readComplete(file, text ? 1 : length);
            if (existing != null) {
                return existing;
            }
            byte[] bytes = new byte[length];
            SecureRandomSource.nextBytes(bytes);
            if (text) {
                bytes = Base64.getUrlEncoder().withoutPadding().encode(bytes);
            }
            if (Files.exists(file)) {
                // A torn write of an earlier version (no fsync then): nothing can have been kept with that key.
                LOG.warnf("%s is empty or truncated (an interrupted write); replacing it with a new secret", file);
                DurableFiles.replace(file, bytes);
            } else if (!DurableFiles.createNew(file, bytes)) {
                return new Secret(file, Files.readAllBytes(file), false);
            }
            return new Secret(file, bytes, true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create " + file, e);
        }
    }

    /** The file's secret, or {@code null} when it is absent or shorter than {@code minLength} (torn). */
    private static Secret readComplete(Path file, int minLength) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        boolean complete =
                minLength == 1 ? !new String(bytes, StandardCharsets.UTF_8).isBlank() : bytes.length >= minLength;
        return complete ? new Secret(file, bytes, false) : null;
    }

    /** A secret file's location and bytes. */
    public record Secret(Path file, byte[] bytes, boolean created) {}
}
