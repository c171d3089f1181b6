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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
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
    /** One MEC 012 cell change subscription per device, for the UE address it was last admitted from. */
    private final Map<String, CellWatch> cellWatches = new ConcurrentHashMap<>();

    private volatile CompletableFuture<URI> termination = CompletableFuture.completedFuture(null);
    private volatile CompletableFuture<URI> service = CompletableFuture.completedFuture(null);

    private record CellWatch(String ueIpv4, CompletableFuture<URI> subscription) {}

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
        termination = support.subscribeTermination(inbox.newDestination(this::onTermination))
                .exceptionally(failure -> {
                    logFailure("MEC 011 termination subscription", failure);
                    return null;
                });
        serviceEndpoint.ifPresent(endpoint ->
                service = services.register(new MecServiceRegistration("mecgw-telemetry", "1.0", endpoint))
                        .exceptionally(failure -> {
                            logFailure("MEC 011 service registration", failure);
                            return null;
                        }));
    }

    /**
     * Deletes the termination subscription, deregisters the service and deletes the cell change subscriptions,
     * so that the platform keeps nothing of this app instance after it stopped. Waits at most {@code timeout} for
     * the platform's answers.
     */
    public void stop(Duration timeout) {
        List<CompletableFuture<Void>> deletions = new ArrayList<>();
        deletions.add(delete(termination, support::unsubscribe, "MEC 011 termination unsubscription"));
        deletions.add(delete(service, services::deregister, "MEC 011 service deregistration"));
        for (String deviceId : List.copyOf(cellWatches.keySet())) {
            CellWatch watch = cellWatches.remove(deviceId);
            if (watch != null) {
                deletions.add(unsubscribe(watch));
            }
        }
        try {
            CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("MEC platform clean-up incomplete: %s", e.getMessage());
        }
    }

    /**
     * Watches the cell of a device through MEC 012. A device has one subscription at a time: a new admission
     * from the same UE address keeps it, one from another address replaces it.
     */
    public void watchCell(String deviceId, String ueIpv4) {
        CellWatch[] replaced = new CellWatch[1];
        cellWatches.compute(deviceId, (id, current) -> {
            if (current != null && current.ueIpv4().equals(ueIpv4)) {
                return current;
            }
            replaced[0] = current;
            return new CellWatch(ueIpv4, subscribeCellChange(deviceId, ueIpv4));
        });
        if (replaced[0] != null) {
            unsubscribe(replaced[0]);
        }
    }

    private CompletableFuture<Void> unsubscribe(CellWatch watch) {
        return delete(watch.subscription(), rnis::unsubscribe, "MEC 012 cell change unsubscription");
    }

    /** Deletes a platform resource once it exists; one whose creation failed (null) has nothing to delete. */
    private static CompletableFuture<Void> delete(
            CompletableFuture<URI> resource, Function<URI, CompletableFuture<Void>> deletion, String what) {
        return resource.thenCompose(uri -> uri == null ? CompletableFuture.completedFuture(null) : deletion.apply(uri))
                .exceptionally(failure -> {
                    logFailure(what, failure);
                    return null;
                });
    }

    private CompletableFuture<URI> subscribeCellChange(String deviceId, String ueIpv4) {
        return rnis.subscribeCellChange(
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
