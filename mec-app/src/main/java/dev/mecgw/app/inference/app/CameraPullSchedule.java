package dev.mecgw.app.inference.app;

import dev.mecgw.app.inference.MjpegCameraSources;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Re-reads the camera devices every {@code mecgw.inference.mjpeg.poll-interval} (on a worker thread). */
@ApplicationScoped
public class CameraPullSchedule {

    private static final Logger LOG = Logger.getLogger(CameraPullSchedule.class);

    private final MjpegCameraSources sources;

    @Inject
    public CameraPullSchedule(MjpegCameraSources sources) {
        this.sources = sources;
    }

    @Scheduled(
            every = "${mecgw.inference.mjpeg.poll-interval}",
            delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            sources.refresh();
        } catch (RuntimeException e) {
            LOG.warnf("Camera streams not refreshed: %s", e.getMessage());
        }
    }
}
