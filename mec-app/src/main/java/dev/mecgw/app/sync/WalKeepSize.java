package dev.mecgw.app.sync;

import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.store.Jdbc;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * PostgreSQL's {@code max_slot_wal_keep_size}, the last-resort cap on the WAL all slots retain (issue 14.3), as
 * {@code mecgw.sync.max-slot-wal-keep-size} gives it. {@code ALTER SYSTEM} takes no bind parameters, so the value
 * becomes part of the statement's text: it is checked against {@link #SYNTAX} here, before any SQL is built, and not
 * only by the configuration's validation, so that no value this class accepts can end the quoted literal.
 */
final class WalKeepSize {

    private static final Logger LOG = Logger.getLogger(WalKeepSize.class);

    /**
     * The sizes accepted: {@code -1} (no cap) or a whole number with one of PostgreSQL's size units. Also the pattern
     * of {@link SyncConfig#maxSlotWalKeepSize()}, so that configuration and statement agree.
     */
    static final String SYNTAX = "-1|[0-9]+(kB|MB|GB|TB)";

    private static final Pattern VALID = Pattern.compile(SYNTAX);

    private final String size;

    /**
     * @param size the configured size, e.g. {@code 16GB}
     * @throws IllegalArgumentException naming the key when {@code size} does not match {@link #SYNTAX}
     */
    WalKeepSize(String size) {
        if (!VALID.matcher(size).matches()) {
            throw new IllegalArgumentException(
                    "mecgw.sync.max-slot-wal-keep-size must be -1 or a whole number with kB, MB, GB or TB");
        }
        this.size = size;
    }

    /** Sets the cap and reloads the server's configuration; a refusal (it needs a superuser) is logged, not thrown. */
    void apply(Jdbc jdbc) {
        try {
            jdbc.withConnection(connection -> {
                try (var statement = connection.createStatement()) {
                    statement.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '" + size + "'");
                    statement.execute("SELECT pg_reload_conf()");
                }
                return null;
            });
        } catch (GatewayException e) {
            LOG.warnf(
                    "could not set max_slot_wal_keep_size (needs a superuser): %s",
                    e.getCause().getMessage());
        }
    }

    @Override
    public String toString() {
        return size;
    }
}
