package dev.mecgw.app.inference.app;

import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.gateway.PhaseGate;
import dev.mecgw.app.gateway.StopDeadline;
import dev.mecgw.app.inference.MjpegCameraSources;
import dev.mecgw.inference.camera.CameraPulls;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Re-reads the camera devices every {@code mecgw.inference.mjpeg.poll-interval} (on a worker thread), until the
 * front-ends stop: the pulls are the gateway's input from cameras, so they stop with the other device front-ends,
 * before the inference workers and the store close.
 */
@ApplicationScoped
public class CameraPullSchedule {

    private static final Logger LOG = Logger.getLogger(CameraPullSchedule.class);

    private final MjpegCameraSources sources;
    private final CameraPulls pulls;
    private final PhaseGate gate;

    @Inject
    public CameraPullSchedule(MjpegCameraSources sources, CameraPulls pulls, StopDeadline stop) {
        this.sources = sources;
        this.pulls = pulls;
        this.gate = new PhaseGate("camera stream refresh", stop);
    }

    // The gate waits for a refresh in flight: none starts a pull, or reads the devices, once the pulls are closed.
    void onStop(@Observes @Priority(LifecyclePhase.Order.FRONT_ENDS_STOP) ShutdownEvent event) {
        gate.close();
        pulls.close();
    }

    @Scheduled(
            every = "${mecgw.inference.mjpeg.poll-interval}",
            delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() throws Exception {
        gate.run(() -> {
            try {
                sources.refresh();
            } catch (RuntimeException e) {
                LOG.warnf("Camera streams not refreshed: %s", e.getMessage());
            }
        });
    }
}
