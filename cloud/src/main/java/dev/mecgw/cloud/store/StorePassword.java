package dev.mecgw.cloud.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** The embedded PostgreSQL's superuser password: generated once into an owner-only (0600) file, never logged. */
final class StorePassword {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final String value;

    private StorePassword(Path file, String value) {
        this.file = file;
        this.value = value;
    }

    /** @return the password kept in {@code file}, created with 24 random bytes when missing */
    static StorePassword in(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Path tmp = Files.createTempFile(
                        file.getParent(),
                        ".pw",
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                byte[] random = new byte[24];
                RANDOM.nextBytes(random);
                // initdb --pwfile reads the first line.
                Files.writeString(tmp, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n");
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException e) {
                    Files.deleteIfExists(tmp);
                }
            }
            return new StorePassword(file, Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the database password file " + file, e);
        }
    }

    Path file() {
        return file;
    }

    String value() {
        return value;
    }
}
