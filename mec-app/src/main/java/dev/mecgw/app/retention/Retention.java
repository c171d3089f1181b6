package dev.mecgw.app.retention;

import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.store.Jdbc;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The retention area's entry class (issue 14 item 4): prunes the tables that grow without bound, counts every run in
 * {@code mecgw.retention.runs} (tag {@code outcome=pruned|nothing|stopped|failed}) and the rows in
 * {@code mecgw.retention.rows.deleted} (tag {@code table}), and records one {@code retention.pruned} event per run that
 * deleted rows ({@code retention.failed} when it failed). Its {@code app/} bean runs it periodically. Blocking.
 */
public final class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);

    private final PostgresRetention store;
    private final EventLog events;
    private final MeterRegistry meters;
    private final Timer took;

    public Retention(PostgresRetention store, EventLog events, MeterRegistry meters) {
        this.store = store;
        this.events = events;
        this.meters = meters;
        this.took = Timer.builder("mecgw.retention.duration")
                .description("Time of one retention run")
                .register(meters);
    }

    /** The rules of the configuration, in the order they run. */
    public static List<RetentionRule> rules(RetentionConfig config) {
        List<RetentionRule> rules = new ArrayList<>();
        rules.add(new RetentionRule("events", "id", "ts", config.events(), false));
        rules.add(new RetentionRule(
                "telemetry_rollup_1m", "device_id, metric, minute", "minute", config.rollups(), false));
        rules.add(new RetentionRule("mecgw_downlink_applied", "id", "updated_at", config.downlink(), false));
        rules.add(new RetentionRule("mecgw_command_outbox", "id", "created_at", config.downlink(), false));
        config.reportedTwins()
                .ifPresent(age -> rules.add(new RetentionRule("device_twins", "device_id", "updated_at", age, false)));
        rules.add(new RetentionRule("telemetry", "device_id, metric, ts", "ts", config.futureTelemetry(), true));
        return rules;
    }

    /** Builds the area from its configuration. */
    public static Retention create(
            DataSource dataSource,
            RetentionConfig config,
            java.time.Clock clock,
            EventLog events,
            MeterRegistry meters) {
        return new Retention(
                new PostgresRetention(
                        dataSource,
                        rules(config),
                        config.batchSize(),
                        config.maxBatchesPerRun(),
                        config.marksKeep(),
                        clock),
                events,
                meters);
    }

    /**
     * Runs once; never throws. A run that {@code stopRequested} ends between two batches counts as {@code stopped}
     * and logs, and records in its event, what it deleted until then.
     *
     * @param stopRequested whether the run must end before its next batch (the phase's stop); asked on this thread
     * @return what was deleted, empty when the run failed
     */
    public Optional<RetentionRun> run(BooleanSupplier stopRequested) {
        long started = System.nanoTime();
        try {
            RetentionRun run = store.prune(stopRequested);
            took.record(Duration.ofNanos(System.nanoTime() - started));
            run.deleted().forEach((table, rows) -> rowsDeleted(table).increment(rows));
            runs(outcome(run)).increment();
            if (run.total() > 0) {
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("deleted", run.deleted());
                payload.put("complete", run.complete());
                payload.put("stopped", run.stopped());
                record("retention.pruned", "info", payload);
            }
            if (run.stopped()) {
                LOG.infof("retention: stopped by the shutdown after deleting %s; the rest next run", run.deleted());
            } else if (run.total() > 0) {
                LOG.infof("retention: deleted %s%s", run.deleted(), run.complete() ? "" : " (more next run)");
            }
            return Optional.of(run);
        } catch (RuntimeException e) {
            runs("failed").increment();
            String reason = reason(e);
            LOG.warnf("retention run failed, retried at the next run: %s", reason);
            record("retention.failed", "warning", Map.of("reason", reason));
            return Optional.empty();
        }
    }

    private static String outcome(RetentionRun run) {
        if (run.stopped()) {
            return "stopped";
        }
        return run.total() > 0 ? "pruned" : "nothing";
    }

    /**
     * What the database said (a lock timeout, a full disk) rather than the store's "unavailable", which names only the
     * store: that is what an operator reading the event can act on.
     */
    private static String reason(RuntimeException failure) {
        return Jdbc.databaseReason(failure);
    }

    private void record(String kind, String severity, Map<String, ?> payload) {
        try {
            events.record(null, kind, severity, payload);
        } catch (RuntimeException e) {
            LOG.debugf("retention event not recorded: %s", e.getMessage());
        }
    }

    private Counter runs(String outcome) {
        return Counter.builder("mecgw.retention.runs")
                .description("Retention runs by outcome")
                .tag("outcome", outcome)
                .register(meters);
    }

    private Counter rowsDeleted(String table) {
        return Counter.builder("mecgw.retention.rows.deleted")
                .description("Rows deleted by retention (kept in the cloud)")
                .tag("table", table)
                .register(meters);
    }
}
