package dev.mecgw.app.sync.app;

import dev.mecgw.app.sync.CloudSync;
import dev.mecgw.app.sync.SyncStatus;
import dev.mecgw.sync.cdc.CaptureState;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Sync in {@code /q/health}. A backhaul outage is normal operation for an edge site, so it never makes the
 * gateway unready; only a failed capture engine does.
 */
@Readiness
@ApplicationScoped
public class SyncHealthCheck implements HealthCheck {

    private final CloudSync sync;

    SyncHealthCheck(CloudSync sync) {
        this.sync = sync;
    }

    @Override
    public HealthCheckResponse call() {
        SyncStatus status = sync.status();
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("sync").status(status.capture() != CaptureState.FAILED);
        if (status.capture() == CaptureState.NOT_CONFIGURED) {
            return response.withData("state", "not configured").build();
        }
        response.withData("state", status.capture().name().toLowerCase())
                .withData("backhaul", status.backhaul().name().toLowerCase())
                .withData(
                        "lastSuccess",
                        status.lastSuccess().map(Object::toString).orElse("never"))
                .withData("inFlight", status.inFlight())
                .withData("acknowledged", status.acknowledged())
                .withData("backlogBytes", status.backlogBytes())
                .withData("backlogRows", status.backlogRows())
                .withData("backlogOldestAgeSeconds", status.backlogOldestAge().toSeconds())
                .withData("backlogRowsComplete", status.backlogComplete())
                .withData("replicationLagMillis", status.replicationLag().toMillis())
                .withData("diskAlarm", status.diskAlarm());
        return response.build();
    }
}
