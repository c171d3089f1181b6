package dev.mecgw.app.twin;

import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.store.Jdbc;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Command status in {@code mecgw_downlink_applied} (replicated: the cloud sees every change) and the local outbox
 * {@code mecgw_command_outbox} of what is still to be handed to devices. Statuses only move forward: at-site →
 * delivered → acknowledged, at-site → expired; a PUBACK or response that arrives after the expiry was recorded still
 * counts, because the device did get the command. A command's payload is kept twice: as jsonb (which refuses text
 * that is not JSON) and as the text received ({@code payload_text}), which is what devices get, so that a command
 * read back from the outbox carries the same bytes as one handed at once. Blocking; call from a worker. Every method
 * throws {@link dev.mecgw.app.problem.GatewayException} UNAVAILABLE when the store is down.
 */
class PostgresCommandLedger {

    /** Kind of the status row of a command issued over the local REST API. */
    static final String LOCAL = "local-command";

    private static final String STORE = "Command store";

    private static final String COMMAND_KINDS = "kind IN ('command', '" + LOCAL + "')";

    /** At-site commands that have not expired (V260 gave rows stored before V240 their jsonb's text). */
    private static final String PENDING = "SELECT o.id, o.device_id, o.name, o.payload_text,"
            + " o.created_at, o.expires_at, o.handed_at IS NOT NULL FROM mecgw_command_outbox o"
            + " JOIN mecgw_downlink_applied a ON a.id = o.id"
            + " WHERE a.outcome = 'at-site' AND (o.expires_at IS NULL OR o.expires_at > now())";

    private final Jdbc jdbc;
    /**
     * For storing a command: a value jsonb refuses although it passed {@link CommandPayloadCheck} (SQLSTATE class 22,
     * data exception: a number beyond its range) is the client's payload, not a store failure.
     */
    private final Jdbc issuing;

    PostgresCommandLedger(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, STORE);
        this.issuing = new Jdbc(
                dataSource,
                e -> e.getSQLState() != null && e.getSQLState().startsWith("22")
                        ? GatewayException.badField("payload", "a JSON value the command store cannot keep")
                        : Jdbc.unavailable(STORE, e));
    }

    /** A stored command not yet delivered, and whether the MQTT broker already holds it. */
    record Pending(DeviceCommand command, boolean handed) {}

    /** Records a command issued at the edge (REST) as at-site, with its outbox row, in one transaction. */
    void storeLocal(DeviceCommand command) {
        issuing.inTransaction(c -> {
            try (PreparedStatement status = c.prepareStatement("INSERT INTO mecgw_downlink_applied (id, kind,"
                            + " device_id, version, outcome) VALUES (?, '" + LOCAL + "', ?, 0, 'at-site')");
                    PreparedStatement outbox = c.prepareStatement("INSERT INTO mecgw_command_outbox (id, device_id,"
                            + " name, payload, payload_text, expires_at) VALUES (?, ?, ?, ?::jsonb, ?, ?)")) {
                status.setString(1, command.commandId());
                status.setString(2, command.deviceId());
                status.executeUpdate();
                String payload = new String(command.payload(), StandardCharsets.UTF_8);
                outbox.setString(1, command.commandId());
                outbox.setString(2, command.deviceId());
                outbox.setString(3, command.name());
                outbox.setString(4, payload);
                outbox.setString(5, payload);
                if (command.expiresAt() == null) {
                    outbox.setNull(6, Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    outbox.setTimestamp(6, Timestamp.from(command.expiresAt()));
                }
                outbox.executeUpdate();
                return null;
            }
        });
    }

    /** @return at-site commands that have not expired, oldest first */
    List<Pending> pending() {
        return jdbc.queryList(
                PENDING + " ORDER BY o.created_at, o.id", Jdbc.NO_PARAMETERS, PostgresCommandLedger::pending);
    }

    /** @return the command if it is at-site and has not expired; empty otherwise (unknown, moved on, expired) */
    Optional<Pending> pending(String commandId) {
        return jdbc.queryOne(
                PENDING + " AND o.id = ?", ps -> ps.setString(1, commandId), PostgresCommandLedger::pending);
    }

    private static Pending pending(ResultSet rs) throws SQLException {
        Timestamp expires = rs.getTimestamp(6);
        return new Pending(
                new DeviceCommand(
                        rs.getString(2),
                        rs.getString(1),
                        rs.getString(3),
                        rs.getString(4).getBytes(StandardCharsets.UTF_8),
                        rs.getTimestamp(5).toInstant(),
                        expires == null ? null : expires.toInstant()),
                rs.getBoolean(7));
    }

    /** The MQTT broker holds the command (queued durably for offline persistent sessions). */
    void handed(String commandId) {
        jdbc.update("UPDATE mecgw_command_outbox SET handed_at = now() WHERE id = ?", ps -> ps.setString(1, commandId));
    }

    /**
     * Moves a command of the device to {@code outcome} if it is in one of {@code from}.
     *
     * @return whether it moved
     */
    boolean advance(String deviceId, String commandId, String outcome, String... from) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mecgw_downlink_applied SET outcome = ?,"
                    + " updated_at = now() WHERE id = ? AND device_id = ? AND " + COMMAND_KINDS
                    + " AND outcome = ANY (?)")) {
                ps.setString(1, outcome);
                ps.setString(2, commandId);
                ps.setString(3, deviceId);
                ps.setArray(4, c.createArrayOf("text", from));
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * @return the oldest command of that name for the device still awaiting its response, for devices that cannot
     *     echo the id (MQTT 3.1.1)
     */
    Optional<String> oldestUnanswered(String deviceId, String name) {
        return jdbc.queryOne(
                "SELECT o.id FROM mecgw_command_outbox o JOIN mecgw_downlink_applied a ON a.id = o.id"
                        + " WHERE o.device_id = ? AND o.name = ? AND a.outcome IN ('at-site', 'delivered')"
                        + " ORDER BY o.created_at, o.id LIMIT 1",
                ps -> {
                    ps.setString(1, deviceId);
                    ps.setString(2, name);
                },
                rs -> rs.getString(1));
    }

    /** Keeps the device's response (JSON text) as a {@code command-response} event, replicated with the events. */
    void recordResponse(String deviceId, String commandId, String name, String responseJson) {
        jdbc.update(
                "INSERT INTO events (device_id, kind, payload) VALUES (?, 'command-response',"
                        + " jsonb_build_object('id', ?::text, 'name', ?::text, 'response', ?::jsonb))",
                ps -> {
                    ps.setString(1, deviceId);
                    ps.setString(2, commandId);
                    ps.setString(3, name);
                    ps.setString(4, responseJson);
                });
    }

    /** Marks every at-site command whose expiry passed as expired; @return how many */
    int expireDue() {
        return jdbc.update(
                "UPDATE mecgw_downlink_applied a SET outcome = 'expired', reason = 'not delivered before it expired',"
                        + " updated_at = now() FROM mecgw_command_outbox o WHERE o.id = a.id"
                        + " AND a.outcome = 'at-site' AND o.expires_at <= now()",
                Jdbc.NO_PARAMETERS);
    }

    /** @return the status of a command of the device, empty for an unknown id */
    Optional<CommandStatus> status(String deviceId, String commandId) {
        return jdbc.queryOne(
                "SELECT outcome, reason FROM mecgw_downlink_applied WHERE id = ? AND device_id = ? AND "
                        + COMMAND_KINDS,
                ps -> {
                    ps.setString(1, commandId);
                    ps.setString(2, deviceId);
                },
                rs -> new CommandStatus(commandId, rs.getString(1), rs.getString(2)));
    }
}
