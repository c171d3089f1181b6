package dev.mecgw.app.sync.app;

import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.gateway.PhaseGate;
import dev.mecgw.app.gateway.StopDeadline;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.store.Jdbc;
import dev.mecgw.app.sync.SyncConfig;
import dev.mecgw.app.sync.TelemetryRollup;
import dev.mecgw.app.telemetry.TelemetryConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * Refreshes the one-minute rollups every {@code mecgw.sync.rollup-interval}, looking back
 * {@code mecgw.sync.rollup-look-back} for late readings, plus the older minutes of readings that arrived in that
 * look-back, back to the raw telemetry retention (issue 14 item 5).
 */
@ApplicationScoped
public class RollupSchedule {

    private static final Logger LOG = Logger.getLogger(RollupSchedule.class);

    // Turned off in the sync phase's stop: the scheduler itself stops only after the store closed.
    private final PhaseGate gate;

    private final TelemetryRollup rollup;
    private final Duration lookBack;
    private final Duration rawRetention;

    RollupSchedule(AgroalDataSource dataSource, SyncConfig config, TelemetryConfig telemetry, StopDeadline stop) {
        this.gate = new PhaseGate("telemetry rollup", stop);
        this.rollup = new TelemetryRollup(dataSource);
        this.lookBack = config.rollupLookBack();
        this.rawRetention = telemetry.retention();
    }

    @Scheduled(
            every = "${mecgw.sync.rollup-interval}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() throws Exception {
        gate.run(this::refreshNow);
    }

    private void refreshNow() {
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        try {
            int changed = rollup.refresh(minute.minus(lookBack), minute, minute.minus(rawRetention));
            LOG.debugf("telemetry rollup: %d minute rows changed", changed);
        } catch (GatewayException e) {
            LOG.warnf("telemetry rollup failed, retried at the next refresh: %s", Jdbc.databaseReason(e));
        }
    }

    void onStop(@Observes @Priority(LifecyclePhase.Order.SYNC_STOP) ShutdownEvent event) {
        gate.close();
    }
}
