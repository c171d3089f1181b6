package dev.mecgw.app.ran;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mecgw.ran.callback.CallbackInbox;
import dev.mecgw.ran.mec.MecAppSupportClient;
import dev.mecgw.ran.mec.MecPlatform;
import dev.mecgw.ran.mec.MecServiceMgmtClient;
import dev.mecgw.ran.mec.MecServiceRegistration;
import dev.mecgw.ran.mec.RnisClient;
import dev.mecgw.ran.presence.NetworkPresence;
import dev.mecgw.ran.transport.JdkRestTransport;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The gateway's part of the MEC 011 lifecycle: confirms ready, subscribes to termination (and confirms it
 * when asked), registers its own service, and watches admitted UEs' cells through MEC 012.
 */
public final class MecHandshake {

    private static final Logger LOG = Logger.getLogger(MecHandshake.class);

    private final MecAppSupportClient support;
    private final MecServiceMgmtClient services;
    private final RnisClient rnis;
    private final CallbackInbox inbox;
    private final NetworkPresence presence;

    public MecHandshake(JdkRestTransport http, MecPlatform platform, CallbackInbox inbox, NetworkPresence presence) {
        this.support = new MecAppSupportClient(http, platform);
        this.services = new MecServiceMgmtClient(http, platform);
        this.rnis = new RnisClient(http, platform);
        this.inbox = inbox;
        this.presence = presence;
    }

    public void start(Optional<URI> serviceEndpoint) {
        support.confirmReady().whenComplete((ok, failure) -> {
            if (failure != null) {
                logFailure("MEC 011 ready confirmation", failure);
            }
        });
        support.subscribeTermination(inbox.newDestination(this::onTermination)).exceptionally(failure -> {
            logFailure("MEC 011 termination subscription", failure);
            return null;
        });
        serviceEndpoint.ifPresent(
                endpoint -> services.register(new MecServiceRegistration("mecgw-telemetry", "1.0", endpoint))
                        .exceptionally(failure -> {
                            logFailure("MEC 011 service registration", failure);
                            return null;
                        }));
    }

    public void watchCell(String deviceId, String ueIpv4) {
        rnis.subscribeCellChange(
                        inbox.newDestination(body -> {
                            String cell =
                                    body.path("trgEcgi").path(0).path("cellId").asText(null);
                            if (cell == null) {
                                throw new IllegalArgumentException("trgEcgi is required");
                            }
                            presence.onCellChange(deviceId, cell, Instant.now());
                        }),
                        ueIpv4)
                .exceptionally(failure -> {
                    logFailure("MEC 012 cell change subscription", failure);
                    return null;
                });
    }

    private void onTermination(JsonNode body) {
        String action = body.path("operationAction").asText(null);
        if (action == null) {
            throw new IllegalArgumentException("operationAction is required");
        }
        // MEC 011 clause 5.2.3: the platform waits maxGracefulTimeout for our confirmation.
        LOG.infof("MEC platform requests %s; confirming", action);
        support.confirmTermination(action).exceptionally(failure -> {
            logFailure("MEC 011 termination confirmation", failure);
            return null;
        });
    }

    private static void logFailure(String what, Throwable failure) {
        LOG.warnf("%s failed: %s", what, failure.getMessage());
    }
}
