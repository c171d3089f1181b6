package dev.mecgw.app.console.devices;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.store.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The device list's query (issue 19): one page of at most {@code size} rows in id order, found by keyset (the id
 * after or before the current page) so a page deep in 10,000 devices costs what the first one does, with each
 * device's reported firmware version from its twin, plus the count of every match. Blocking (JDBC).
 */
final class DeviceListing {

    private static final String COLUMNS = "SELECT d.id, d.type, d.labels::text, d.slice_sst, d.slice_sd, d.online,"
            + " d.last_seen, t.reported #>> '{firmware,version}' FROM devices d"
            + " LEFT JOIN device_twins t ON t.device_id = d.id";
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

    private final Jdbc jdbc;
    private final ObjectMapper json;

    DeviceListing(DataSource dataSource, ObjectMapper json) {
        this.jdbc = new Jdbc(dataSource, "Device list");
        this.json = json;
    }

    /**
     * @param filter what to match
     * @param after the page starts after this id (next page), or null
     * @param before the page ends before this id (previous page), or null; ignored when {@code after} is given
     * @param size rows per page
     * @throws dev.mecgw.app.problem.GatewayException (unavailable) when the store cannot be read
     */
    Page page(DeviceListFilter filter, String after, String before, int size) {
        List<Object> args = new ArrayList<>();
        String where = filter.where(args);
        boolean backwards = after == null && before != null;
        String sql = COLUMNS + where + (after != null ? and(where) + "d.id > ?" : "")
                + (backwards ? and(where) + "d.id < ?" : "")
                + (backwards ? " ORDER BY d.id DESC" : " ORDER BY d.id") + " LIMIT ?";
        // One connection for the page and its count.
        return jdbc.withConnection(c -> {
            List<DeviceRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int next = bind(ps, args);
                if (after != null || backwards) {
                    ps.setString(next++, after != null ? after : before);
                }
                // One more than shown tells whether there is a page beyond.
                ps.setInt(next, size + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(row(rs));
                    }
                }
            }
            boolean more = rows.size() > size;
            if (more) {
                rows.remove(rows.size() - 1);
            }
            if (backwards) {
                Collections.reverse(rows);
            }
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM devices d"
                    + (filter.needsTwin() ? " LEFT JOIN device_twins t ON t.device_id = d.id" : "") + where)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            boolean hasPrevious = backwards ? more : after != null;
            boolean hasNext = backwards || more;
            return new Page(rows, total, hasPrevious, hasNext);
        });
    }

    private static String and(String where) {
        return where.isEmpty() ? " WHERE " : " AND ";
    }

    private DeviceRow row(ResultSet rs) throws SQLException {
        Timestamp lastSeen = rs.getTimestamp(7);
        int sst = rs.getInt(4);
        String slice = rs.wasNull() ? null : "sst " + sst + (rs.getString(5) == null ? "" : " sd " + rs.getString(5));
        try {
            return new DeviceRow(
                    rs.getString(1),
                    rs.getString(2),
                    json.readValue(rs.getString(3), LABELS),
                    slice,
                    rs.getBoolean(6),
                    lastSeen == null ? null : lastSeen.toInstant(),
                    rs.getString(8),
                    null);
        } catch (JsonProcessingException e) {
            throw new SQLException("device labels are not a JSON object", e);
        }
    }

    private static int bind(PreparedStatement ps, List<Object> args) throws SQLException {
        int i = 1;
        for (Object arg : args) {
            ps.setObject(i++, arg);
        }
        return i;
    }

    /**
     * @param rows the page, in id order
     * @param total how many devices match the filter
     */
    record Page(List<DeviceRow> rows, long total, boolean hasPrevious, boolean hasNext) {}
}
