package dev.mecgw.cloud.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The bearer token of the cloud's {@code /api}: configured, or generated once into {@code <data-dir>/admin-token}
 * with mode 0600 and read from there on later starts. Only the file's path is ever reported, never the token.
 */
public final class AdminToken {

    static final String TOKEN_FILE = "admin-token";
    private static final String BEARER = "Bearer ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] token;
    private final String source;
    private final boolean generated;

    private AdminToken(byte[] token, String source, boolean generated) {
        this.token = token;
        this.source = source;
        this.generated = generated;
    }

    /**
     * @param configured the configured token; blank counts as absent
     * @param dataDir where a generated token is kept
     * @return the token in effect
     * @throws UncheckedIOException when the token file can be neither read nor created
     */
    public static AdminToken load(Optional<String> configured, Path dataDir) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return new AdminToken(
                    configured.get().strip().getBytes(StandardCharsets.UTF_8),
                    "configuration (mecgw.cloud.admin.token)",
                    false);
        }
        Path file = dataDir.resolve(TOKEN_FILE);
        try {
            boolean created = createIfMissing(file);
            byte[] token = Files.readString(file).strip().getBytes(StandardCharsets.UTF_8);
            return new AdminToken(token, "file " + file.toAbsolutePath(), created);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the admin token file " + file, e);
        }
    }

    private static boolean createIfMissing(Path file) throws IOException {
        if (Files.exists(file)) {
            return false;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        // Written to a 0600 temporary file and moved into place, so the token is never readable by others, and
        // a concurrent first start of a second instance keeps the first token.
        Path tmp = Files.createTempFile(
                file.toAbsolutePath().getParent(),
                ".admin-token",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n");
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp);
            return false;
        }
    }

    /**
     * Checks an {@code Authorization} header, for every route of {@code /api} (the JAX-RS filter and the model
     * upload route alike).
     *
     * @param authorization the header's value; null when absent
     * @return empty when it carries this token; otherwise the client-safe reason for a 401
     */
    public Optional<String> refusal(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.of("Missing bearer token");
        }
        if (!matches(authorization.substring(BEARER.length()).strip())) {
            return Optional.of("Invalid bearer token");
        }
        return Optional.empty();
    }

    /** @return whether the presented token matches, compared in constant time; false for null */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** @return where the token comes from, for the start-up log (never the token itself) */
    public String source() {
        return source;
    }

    /** @return whether this start generated the token file */
    public boolean generated() {
        return generated;
    }
}
