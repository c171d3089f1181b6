package dev.mecgw.sync.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * {@link RetentionMarks} read from the site's marker table ({@code xid bigint} primary key, the 32-bit transaction id
 * of each pruning transaction). A transaction's deletes arrive together, so one query answers for all of them;
 * answers are cached (positive and negative alike: a committed transaction's marker never changes). Thread-safe.
 */
final class PostgresRetentionMarks implements RetentionMarks {

    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");
    private static final int CACHED = 4096;

    private final DataSource dataSource;
    private final String sql;
    private final Map<Long, Boolean> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > CACHED;
        }
    };

    /**
     * @param dataSource the site's database
     * @param table the marker table, {@code [schema.]table}
     */
    PostgresRetentionMarks(DataSource dataSource, String table) {
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        this.dataSource = dataSource;
        this.sql = "SELECT 1 FROM " + table + " WHERE xid = ?";
    }

    @Override
    public boolean isRetention(long txId) {
        // An xid is an unsigned 32-bit number; a decoder that read it as a signed int would hand it over negative.
        long xid = txId & 0xFFFFFFFFL;
        synchronized (cache) {
            Boolean known = cache.get(xid);
            if (known != null) {
                return known;
            }
        }
        boolean marked = query(xid);
        synchronized (cache) {
            cache.put(xid, marked);
        }
        return marked;
    }

    private boolean query(long txId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, txId);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("retention markers unreadable: " + e.getMessage(), e);
        }
    }
}
