package dev.mecgw.app.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.store.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The read side of {@link Alarms}: event lists by filter and the "what is wrong now" summary. Blocking. */
final class PostgresEventQueries {

    static final String COLUMNS =
            "id, ts, device_id, kind, severity, payload::text, acked_at, acked_by, cleared_at, cleared_by";

    // Written exactly as the partial index events_active_idx (V135) so that the planner uses it.
    static final String ACTIVE = "cleared_at IS NULL AND severity IN ('warning', 'alarm')";

    private static final String COUNTS = "SELECT severity, count(*) FILTER (WHERE acked_at IS NULL),"
            + " count(*) FILTER (WHERE acked_at IS NOT NULL) FROM events WHERE " + ACTIVE + " GROUP BY severity";

    private static final String GROUPS = "SELECT max(CASE severity WHEN 'alarm' THEN 2 ELSE 1 END) AS rank, kind,"
            + " device_id, count(*), count(*) FILTER (WHERE acked_at IS NULL), min(ts), max(ts), max(id) FROM events"
            + " WHERE " + ACTIVE + " GROUP BY kind, device_id ORDER BY rank DESC, max(ts) DESC, max(id) DESC LIMIT ?";

    private final Jdbc jdbc;
    private final ObjectMapper json;

    PostgresEventQueries(Jdbc jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    List<StoredEvent> list(EventQuery query) {
        List<String> where = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        switch (query.state()) {
            case ACTIVE -> where.add(ACTIVE);
            case CLEARED -> where.add("cleared_at IS NOT NULL");
            case ANY -> {}
        }
        if (!query.severities().isEmpty()) {
            where.add("severity = ANY (?)");
            values.add(query.severities().toArray(String[]::new));
        }
        query.acknowledged().ifPresent(a -> where.add(a ? "acked_at IS NOT NULL" : "acked_at IS NULL"));
        query.deviceId().ifPresent(d -> {
            where.add("device_id = ?");
            values.add(d);
        });
        query.kind().ifPresent(k -> {
            where.add("(kind = ? OR starts_with(kind, ?))");
            values.add(k);
            values.add(k + ".");
        });
        query.since().ifPresent(s -> {
            where.add("ts >= ?");
            values.add(Timestamp.from(s));
        });
        query.until().ifPresent(u -> {
            where.add("ts < ?");
            values.add(Timestamp.from(u));
        });
        query.beforeId().ifPresent(b -> {
            where.add("id < ?");
            values.add(b);
        });
        values.add(query.limit());
        String sql = "SELECT " + COLUMNS + " FROM events"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY id DESC LIMIT ?";
        return jdbc.queryList(sql, ps -> bind(ps, values), this::event);
    }

    Optional<StoredEvent> find(long id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM events WHERE id = ?", ps -> ps.setLong(1, id), this::event);
    }

    AlarmSummary summary(int maxGroups) {
        Map<String, AlarmSummary.Count> counts = new LinkedHashMap<>();
        for (String severity : List.of("alarm", "warning")) {
            counts.put(severity, new AlarmSummary.Count(severity, 0, 0));
        }
        jdbc.queryList(
                        COUNTS,
                        Jdbc.NO_PARAMETERS,
                        rs -> new AlarmSummary.Count(rs.getString(1), rs.getLong(2), rs.getLong(3)))
                .forEach(c -> counts.put(c.severity(), c));
        List<AlarmSummary.Group> groups = jdbc.queryList(
                GROUPS,
                ps -> ps.setInt(1, maxGroups + 1),
                rs -> new AlarmSummary.Group(
                        rs.getInt(1) == 2 ? "alarm" : "warning",
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        instant(rs.getTimestamp(6)),
                        instant(rs.getTimestamp(7)),
                        rs.getLong(8)));
        boolean more = groups.size() > maxGroups;
        return new AlarmSummary(List.copyOf(counts.values()), more ? groups.subList(0, maxGroups) : groups, more);
    }

    StoredEvent event(ResultSet rs) throws SQLException {
        try {
            return new StoredEvent(
                    rs.getLong(1),
                    instant(rs.getTimestamp(2)),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    json.readTree(rs.getString(6)),
                    instant(rs.getTimestamp(7)),
                    rs.getString(8),
                    instant(rs.getTimestamp(9)),
                    rs.getString(10));
        } catch (JsonProcessingException e) {
            throw new SQLException("event payload is not JSON", e);
        }
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    private static void bind(PreparedStatement ps, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            if (value instanceof String[] texts) {
                ps.setArray(i + 1, ps.getConnection().createArrayOf("text", texts));
            } else {
                ps.setObject(i + 1, value);
            }
        }
    }
}
