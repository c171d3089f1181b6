package dev.mecgw.cloud.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mecgw.cloud.problem.CloudException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Read side of the fleet: sites with their heartbeat state, and each site's devices, events and rollups from the
 * typed mirror, tombstones hidden. Thread-safe.
 */
public final class FleetView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration offlineAfter;

    /**
     * @param dataSource the cloud database
     * @param clock the clock that decides whether a heartbeat is recent
     * @param offlineAfter a site without heartbeat for this long is offline
     */
    public FleetView(DataSource dataSource, Clock clock, Duration offlineAfter) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.offlineAfter = offlineAfter;
    }

    /** @return every site that sent a change or a heartbeat, by id */
    public List<SiteSummary> sites() {
        return query(
                "SELECT site_id, last_change_at, lag_seconds, backlog_rows, heartbeat_received_at, health,"
                        + " gateway_version FROM sites ORDER BY site_id",
                statement -> {},
                rows -> {
                    Instant beat = instant(rows, 5);
                    return new SiteSummary(
                            rows.getString(1),
                            instant(rows, 2),
                            (Double) rows.getObject(3),
                            (Long) rows.getObject(4),
                            beat != null && beat.isAfter(clock.instant().minus(offlineAfter)),
                            rows.getString(6),
                            rows.getString(7));
                });
    }

    /**
     * @param siteId the site
     * @param online only devices with this online flag; empty for all
     * @return the site's devices by id
     * @throws CloudException NOT_FOUND for an unknown site
     */
    public List<DeviceView> devices(String siteId, Optional<Boolean> online) {
        requireSite(siteId);
        return query(
                "SELECT id, type, labels, online, last_seen, updated_at FROM devices WHERE site_id = ? AND NOT deleted"
                        + " AND (CAST(? AS boolean) IS NULL OR online = CAST(? AS boolean)) ORDER BY id",
                statement -> {
                    statement.setString(1, siteId);
                    statement.setString(2, online.map(String::valueOf).orElse(null));
                    statement.setString(3, online.map(String::valueOf).orElse(null));
                },
                rows -> new DeviceView(
                        rows.getString(1),
                        rows.getString(2),
                        json(rows.getString(3)),
                        (Boolean) rows.getObject(4),
                        instant(rows, 5),
                        instant(rows, 6)));
    }

    /**
     * @param siteId the site
     * @param from the earliest event time, inclusive
     * @param limit the most events to return
     * @return the site's events from {@code from} on, oldest first
     * @throws CloudException NOT_FOUND for an unknown site
     */
    public List<EventView> events(String siteId, Instant from, int limit) {
        requireSite(siteId);
        return query(
                "SELECT id, ts, device_id, kind, severity, payload FROM events WHERE site_id = ? AND NOT deleted"
                        + " AND ts >= ? ORDER BY ts, id LIMIT ?",
                statement -> {
                    statement.setString(1, siteId);
                    statement.setTimestamp(2, Timestamp.from(from));
                    statement.setInt(3, limit);
                },
                rows -> new EventView(
                        rows.getLong(1),
                        instant(rows, 2),
                        rows.getString(3),
                        rows.getString(4),
                        rows.getString(5),
                        json(rows.getString(6))));
    }

    /**
     * @param siteId the site
     * @param deviceId the device
     * @param metric only this metric; empty for all
     * @param from start, inclusive
     * @param to end, exclusive
     * @return the device's one-minute rollups in the range, by metric and minute
     * @throws CloudException NOT_FOUND for an unknown site
     */
    public List<RollupView> rollups(String siteId, String deviceId, Optional<String> metric, Instant from, Instant to) {
        requireSite(siteId);
        return query(
                "SELECT metric, minute, min, max, avg, count FROM telemetry_rollup_1m WHERE site_id = ?"
                        + " AND device_id = ? AND NOT deleted AND (CAST(? AS text) IS NULL OR metric = ?)"
                        + " AND minute >= ? AND minute < ? ORDER BY metric, minute LIMIT 100000",
                statement -> {
                    statement.setString(1, siteId);
                    statement.setString(2, deviceId);
                    statement.setString(3, metric.orElse(null));
                    statement.setString(4, metric.orElse(null));
                    statement.setTimestamp(5, Timestamp.from(from));
                    statement.setTimestamp(6, Timestamp.from(to));
                },
                rows -> new RollupView(
                        rows.getString(1),
                        instant(rows, 2),
                        (Double) rows.getObject(3),
                        (Double) rows.getObject(4),
                        (Double) rows.getObject(5),
                        (Long) rows.getObject(6)));
    }

    private void requireSite(String siteId) {
        List<String> found = query(
                "SELECT site_id FROM sites WHERE site_id = ?",
                statement -> statement.setString(1, siteId),
                rows -> rows.getString(1));
        if (found.isEmpty()) {
            throw CloudException.notFound("Site " + siteId);
        }
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private interface RowMapper<T> {
        T map(ResultSet rows) throws SQLException;
    }

    private <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            List<T> result = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
            }
            return result;
        } catch (SQLException e) {
            throw CloudException.unavailable("The cloud database is unavailable", e);
        }
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        Timestamp value = rows.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JsonNodeFactory.instance.textNode(text);
        }
    }
}
