package dev.mecgw.app.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.store.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Alarm handling on the event log (issue 19), the entry the REST API and the console share: lists by severity,
 * state and acknowledgement, the "what is wrong now" summary, and the operator actions acknowledge and clear. An
 * action stores who and when in the event's row (replicated to the cloud as an update of that row) and, in the same
 * transaction, records an operator event naming the user; repeating an action changes nothing and records nothing.
 * Only warnings and alarms can be acknowledged or cleared. Blocking; thread-safe.
 */
public class Alarms {

    /** Most characters of an operator's note. */
    public static final int MAX_NOTE = 500;

    private static final String STORE = "Event log";

    private final Jdbc jdbc;
    private final PostgresEventQueries queries;
    private final ObjectMapper json;
    private final EventAnnouncer announcer;
    private final Clock clock;

    public Alarms(DataSource dataSource, ObjectMapper json, EventAnnouncer announcer, Clock clock) {
        this.jdbc = new Jdbc(dataSource, STORE);
        this.queries = new PostgresEventQueries(jdbc, json);
        this.json = json;
        this.announcer = announcer;
        this.clock = clock;
    }

    /** Events matching the query, newest (highest id) first. */
    public List<StoredEvent> list(EventQuery query) {
        return queries.list(query);
    }

    /** @throws GatewayException not found */
    public StoredEvent get(long id) {
        return queries.find(id).orElseThrow(() -> GatewayException.notFound("Event " + id));
    }

    /**
     * What is wrong now: active alarms counted and grouped.
     *
     * @param maxGroups most groups listed, worst first
     */
    public AlarmSummary summary(int maxGroups) {
        return queries.summary(maxGroups);
    }

    /**
     * Acknowledges one warning or alarm, active or cleared.
     *
     * @param user the operator's name, recorded in the row and the operator event
     * @param note an optional remark for the operator event
     * @return the event as stored afterwards
     * @throws GatewayException not found; conflict when it is an info event; bad request for a long note
     */
    public StoredEvent acknowledge(long id, String user, Optional<String> note) {
        return act(id, Action.ACKNOWLEDGE, user, note);
    }

    /** Clears one warning or alarm: it is no longer active. Same rules as {@link #acknowledge}. */
    public StoredEvent clear(long id, String user, Optional<String> note) {
        return act(id, Action.CLEAR, user, note);
    }

    /**
     * Acknowledges every active, unacknowledged alarm of one kind on one device: a group of the summary.
     *
     * @param deviceId the device, or empty for site-wide events
     * @return how many events were acknowledged; one operator event records them all when there were any
     */
    public int acknowledgeGroup(String kind, Optional<String> deviceId, String user, Optional<String> note) {
        return actOnGroup(Action.ACKNOWLEDGE, kind, deviceId, user, note);
    }

    /** Clears every active alarm of one kind on one device; otherwise as {@link #acknowledgeGroup}. */
    public int clearGroup(String kind, Optional<String> deviceId, String user, Optional<String> note) {
        return actOnGroup(Action.CLEAR, kind, deviceId, user, note);
    }

    private StoredEvent act(long id, Action action, String user, Optional<String> note) {
        check(user, note);
        Timestamp now = Timestamp.from(clock.instant());
        Acted acted = jdbc.inTransaction(c -> {
            StoredEvent before = locked(c, id);
            if (!before.alarming()) {
                throw new GatewayException(
                        ErrorKind.CONFLICT,
                        "Event " + id + " is " + before.severity() + ": only warnings and alarms"
                                + " are acknowledged or cleared");
            }
            if (action.done(before)) {
                return new Acted(before, null);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE events SET " + action.columns
                    + " = (?, ?) WHERE id = ? RETURNING " + PostgresEventQueries.COLUMNS)) {
                ps.setTimestamp(1, now);
                ps.setString(2, user);
                ps.setLong(3, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    StoredEvent after = queries.event(rs);
                    Map<String, Object> payload = payload(user, note);
                    payload.put("event", id);
                    payload.put("eventKind", before.kind());
                    return new Acted(after, insertOperatorEvent(c, before.deviceId(), action, payload));
                }
            }
        });
        acted.announce(announcer);
        return acted.event;
    }

    private int actOnGroup(Action action, String kind, Optional<String> deviceId, String user, Optional<String> note) {
        check(user, note);
        if (kind == null || kind.isBlank()) {
            throw GatewayException.badField("kind", "must not be blank");
        }
        Timestamp now = Timestamp.from(clock.instant());
        List<Long> ids = new ArrayList<>();
        OperatorEvent recorded = jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE events SET " + action.columns + " = (?, ?) WHERE "
                    + PostgresEventQueries.ACTIVE + " AND " + action.pending + " AND kind = ?"
                    + " AND device_id IS NOT DISTINCT FROM ? RETURNING id")) {
                ps.setTimestamp(1, now);
                ps.setString(2, user);
                ps.setString(3, kind);
                ps.setString(4, deviceId.orElse(null));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            if (ids.isEmpty()) {
                return null;
            }
            Map<String, Object> payload = payload(user, note);
            payload.put("eventKind", kind);
            payload.put("count", ids.size());
            payload.put(
                    "firstEvent", ids.stream().mapToLong(Long::longValue).min().orElseThrow());
            payload.put(
                    "lastEvent", ids.stream().mapToLong(Long::longValue).max().orElseThrow());
            return insertOperatorEvent(c, deviceId.orElse(null), action, payload);
        });
        if (recorded != null) {
            recorded.announce(announcer);
        }
        return ids.size();
    }

    private StoredEvent locked(Connection c, long id) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + PostgresEventQueries.COLUMNS + " FROM events WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw GatewayException.notFound("Event " + id);
                }
                return queries.event(rs);
            }
        }
    }

    private OperatorEvent insertOperatorEvent(Connection c, String deviceId, Action action, Map<String, Object> payload)
            throws SQLException {
        String text;
        try {
            text = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw Jdbc.unavailable(STORE, e);
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO events (device_id, kind, severity, payload) VALUES (?, ?, 'info', ?::jsonb)")) {
            ps.setString(1, deviceId);
            ps.setString(2, action.eventKind);
            ps.setString(3, text);
            ps.executeUpdate();
        }
        return new OperatorEvent(deviceId, action.eventKind, payload);
    }

    private static Map<String, Object> payload(String user, Optional<String> note) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("user", user);
        note.filter(n -> !n.isBlank()).ifPresent(n -> payload.put("note", n));
        return payload;
    }

    private static void check(String user, Optional<String> note) {
        if (user == null || user.isBlank()) {
            throw new GatewayException(ErrorKind.UNAUTHORIZED, "An operator action needs a user");
        }
        if (note.map(String::length).orElse(0) > MAX_NOTE) {
            throw GatewayException.badField("note", "must be at most " + MAX_NOTE + " characters");
        }
    }

    /** The two operator actions: which columns they set and which operator event they leave. */
    private enum Action {
        ACKNOWLEDGE("(acked_at, acked_by)", "acked_at IS NULL", "alarm.acknowledged"),
        CLEAR("(cleared_at, cleared_by)", "cleared_at IS NULL", "alarm.cleared");

        final String columns;
        final String pending;
        final String eventKind;

        Action(String columns, String pending, String eventKind) {
            this.columns = columns;
            this.pending = pending;
            this.eventKind = eventKind;
        }

        boolean done(StoredEvent event) {
            return this == ACKNOWLEDGE ? event.acknowledged() : event.clearedAt() != null;
        }
    }

    /** An operator event written in a transaction, announced once that transaction committed. */
    private record OperatorEvent(String deviceId, String kind, Map<String, Object> payload) {

        void announce(EventAnnouncer announcer) {
            announcer.announce(deviceId, kind, "info", payload);
        }
    }

    private record Acted(StoredEvent event, OperatorEvent recorded) {

        void announce(EventAnnouncer announcer) {
            if (recorded != null) {
                recorded.announce(announcer);
            }
        }
    }
}
