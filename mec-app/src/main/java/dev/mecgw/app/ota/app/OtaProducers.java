package dev.mecgw.app.ota.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.artifacts.ArtifactStore;
import dev.mecgw.app.credentials.PasswordHasher;
import dev.mecgw.app.credentials.VerifiedPasswordCache;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.gateway.DataDirectory;
import dev.mecgw.app.gateway.GatewayConfig;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.gateway.PhaseGate;
import dev.mecgw.app.gateway.StopDeadline;
import dev.mecgw.app.ota.FirmwareDownloads;
import dev.mecgw.app.ota.FirmwareSigner;
import dev.mecgw.app.ota.OtaConfig;
import dev.mecgw.app.ota.PostgresHealthGate;
import dev.mecgw.app.ota.PostgresRolloutStore;
import dev.mecgw.app.ota.RolloutMachine;
import dev.mecgw.app.ota.RolloutPlanner;
import dev.mecgw.app.ota.Rollouts;
import dev.mecgw.app.ota.TwinFirmware;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.twin.DesiredTwinPush;
import dev.mecgw.app.twin.TwinStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * Builds {@link Rollouts} and drives it: ticks start once the front-ends listen (desired twins reach devices),
 * the first one at once so that rollouts stored before a restart go on, and stop before the front-ends close.
 */
@ApplicationScoped
public class OtaProducers {

    @Inject
    Rollouts rollouts;

    // The scheduler may fire before the front-ends listen; the gate only ends the ticks.
    private volatile boolean started;
    private final PhaseGate gate;

    // The scheduled tick and holdTicks() take turns on this lock: holding the ticks waits for one in flight.
    private final Object tickTurn = new Object();
    private volatile boolean held;

    OtaProducers(StopDeadline stop) {
        this.gate = new PhaseGate("OTA rollout tick", stop);
    }

    @Produces
    @ApplicationScoped
    Rollouts rollouts(
            DataSource dataSource,
            ObjectMapper json,
            OtaConfig config,
            ArtifactStore artifacts,
            TwinStore twins,
            DesiredTwinPush desiredPush,
            EventLog events,
            GatewayConfig gateway) {
        Clock clock = Clock.systemUTC();
        PostgresRolloutStore store = new PostgresRolloutStore(dataSource, json);
        return new Rollouts(
                store,
                new RolloutMachine(clock, new PostgresHealthGate(dataSource, config.healthMinRateShare())),
                new RolloutPlanner(artifacts, store, clock, FirmwareSigner.of(new DataDirectory(gateway.dataDir()))),
                new TwinFirmware(twins, desiredPush, json),
                events,
                json);
    }

    @Produces
    @ApplicationScoped
    FirmwareDownloads firmwareDownloads(
            DeviceRegistry registry,
            PasswordHasher hasher,
            VerifiedPasswordCache verifiedPasswords,
            TwinStore twins,
            ArtifactStore artifacts,
            ObjectMapper json,
            MeterRegistry meters,
            OtaConfig config) {
        return new FirmwareDownloads(
                registry,
                hasher,
                verifiedPasswords,
                twins,
                artifacts,
                json,
                meters,
                config.downloadAuthTtl(),
                config.downloadHashThreads());
    }

    // Once every front-end listens (the MQTT broker restored its sessions and retained messages): the phase after.
    void onStart(@Observes @Priority(LifecyclePhase.Order.REPORT_START) StartupEvent event) {
        started = true;
        rollouts.tick();
    }

    // First of all: no desired twin is written while the front-ends close; the gate waits for a tick in flight.
    void onStop(@Observes @Priority(LifecyclePhase.Order.REPORT_STOP) ShutdownEvent event) {
        gate.close();
    }

    @Scheduled(every = "${mecgw.ota.tick-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        gate.run(() -> {
            synchronized (tickTurn) {
                if (started && !held) {
                    rollouts.tick();
                }
            }
        });
    }

    /**
     * Stops the scheduled ticks until {@link #releaseTicks()}, once a tick in flight has ended. For a test that moves
     * rollouts with its own clock: Quarkus' {@code Scheduler.pause()} stops new executions only, so a tick dispatched
     * just before it could still store a rollout back over the state the test's clock gave it.
     */
    public void holdTicks() {
        synchronized (tickTurn) {
            held = true;
        }
    }

    /** The scheduled ticks run again. */
    public void releaseTicks() {
        held = false;
    }
}
