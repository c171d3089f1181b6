package dev.mecgw.app.telemetry;

import dev.mecgw.app.store.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Keeps the daily partitions of {@code telemetry}: creates today's and the next days' ahead of time and
 * drops those entirely older than the retention. Days are UTC days. Readings that landed in the default
 * partition (devices with clocks far off) move into a day partition when it is created, in the same
 * transaction, so nothing is lost or blocks the creation.
 */
public class TelemetryPartitions {

    private static final Logger LOG = Logger.getLogger(TelemetryPartitions.class);
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final Jdbc jdbc;
    private final Clock clock;

    public TelemetryPartitions(DataSource dataSource, Clock clock) {
        this.jdbc = new Jdbc(dataSource, "Telemetry partition store");
        this.clock = clock;
    }

    /**
     * Creates missing partitions for today and {@code ahead} days after it, and drops partitions whose
     * whole day ends before now minus {@code retention}; also purges expired rows from the default.
     *
     * @return a summary of what changed
     */
    public Result maintain(int ahead, Duration retention) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        List<String> created = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        jdbc.withConnection(c -> {
            List<String> existing = partitions(c);
            for (int i = 0; i <= ahead; i++) {
                LocalDate day = today.plusDays(i);
                String name = "telemetry_" + SUFFIX.format(day);
                if (!existing.contains(name)) {
                    create(c, name, day);
                    created.add(name);
                }
            }
            LocalDate oldestKept = LocalDate.ofInstant(clock.instant().minus(retention), ZoneOffset.UTC);
            for (String name : existing) {
                LocalDate day = LocalDate.parse(name.substring("telemetry_".length()), SUFFIX);
                if (day.isBefore(oldestKept)) {
                    try (Statement s = c.createStatement()) {
                        s.execute("DROP TABLE " + name);
                    }
                    dropped.add(name);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM telemetry_default WHERE ts < ?")) {
                ps.setObject(1, oldestKept.atStartOfDay().atOffset(ZoneOffset.UTC));
                return ps.executeUpdate();
            }
        });
        if (!created.isEmpty() || !dropped.isEmpty()) {
            LOG.infof("Telemetry partitions: created %s, dropped %s (retention %s)", created, dropped, retention);
        }
        return new Result(created, dropped);
    }

    private static List<String> partitions(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT child.relname FROM pg_inherits"
                        + " JOIN pg_class parent ON parent.oid = pg_inherits.inhparent"
                        + " JOIN pg_class child ON child.oid = pg_inherits.inhrelid"
                        + " WHERE parent.relname = 'telemetry' AND child.relname ~ '^telemetry_[0-9]{8}$'"
                        + " ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static void create(Connection c, String name, LocalDate day) throws SQLException {
        String from = day.toString() + " 00:00:00+00";
        String to = day.plusDays(1).toString() + " 00:00:00+00";
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + name + " (LIKE telemetry INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            s.execute("WITH moved AS (DELETE FROM telemetry_default WHERE ts >= '" + from + "' AND ts < '" + to
                    + "' RETURNING *) INSERT INTO " + name + " SELECT * FROM moved");
            s.execute("ALTER TABLE telemetry ATTACH PARTITION " + name + " FOR VALUES FROM ('" + from + "') TO ('" + to
                    + "')");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Names of partitions created and dropped by one maintenance run. */
    public record Result(List<String> created, List<String> dropped) {}
}
