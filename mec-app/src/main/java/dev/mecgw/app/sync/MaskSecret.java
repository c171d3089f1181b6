package dev.mecgw.app.sync;

import dev.mecgw.app.gateway.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/** The site secret for column masking: configured, or generated once and kept in the data directory (0600). */
public final class MaskSecret {

    public static final String FILE = "sync-mask.key";

    private MaskSecret() {}

    public static byte[] load(Optional<String> configured, Path dataDir) throws IOException {
        if (configured.isPresent()) {
            return decode(configured.get(), "mecgw.sync.mask-secret");
        }
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file) && !Files.readString(file).isBlank()) {
            return decode(Files.readString(file).trim(), file.toString());
        }
        // Absent, or empty after a power cut hit an earlier version's unsynced write (issue 14 item 8).
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        byte[] text = Base64.getEncoder().encodeToString(secret).getBytes(StandardCharsets.US_ASCII);
        if (Files.exists(file)) {
            DurableFiles.replace(file, text);
        } else if (!DurableFiles.createNew(file, text)) {
            return decode(Files.readString(file).trim(), file.toString());
        }
        return secret;
    }

    private static byte[] decode(String base64, String origin) {
        try {
            byte[] secret = Base64.getDecoder().decode(base64);
            if (secret.length < 32) {
                throw new IllegalArgumentException(origin + " must hold at least 32 bytes (Base64)");
            }
            return secret;
        } catch (IllegalArgumentException e) {
            // The value itself is a secret: never echo it.
            throw new IllegalArgumentException(origin + " is not Base64 of at least 32 bytes");
        }
    }
}
