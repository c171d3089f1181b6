package dev.mecgw.app.admin;

import dev.mecgw.app.gateway.DataDirectory;
import dev.mecgw.app.gateway.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.jboss.logging.Logger;

/**
 * The admin API token: configured, or generated once and kept in the data directory. Only the file's
 * path is ever logged.
 */
public class AdminToken {

    private static final Logger LOG = Logger.getLogger(AdminToken.class);
    static final String TOKEN_FILE = "admin-token";

    private final byte[] token;
    private final String source;

    public AdminToken(AdminConfig config, GatewayConfig gateway) {
        if (config.token().isPresent() && !config.token().get().isBlank()) {
            token = config.token().get().getBytes(StandardCharsets.UTF_8);
            source = "configuration (mecgw.admin.token)";
        } else {
            DataDirectory.Secret secret = new DataDirectory(gateway.dataDir()).secret(TOKEN_FILE, 32, true);
            token = new String(secret.bytes(), StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
            Path file = secret.file();
            source = "file " + file;
            if (secret.created()) {
                LOG.infof(
                        "Generated an admin API token in %s (mode 0600); send it as 'Authorization: Bearer <token>'",
                        file);
            }
        }
    }

    /** Constant-time comparison with the presented token; {@code false} for null. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Where the token comes from, for the start-up log (never the token itself). */
    public String source() {
        return source;
    }
}
