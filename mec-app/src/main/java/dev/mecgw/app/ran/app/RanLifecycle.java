package dev.mecgw.app.ran.app;

import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.gateway.app.StartupReport;
import dev.mecgw.app.ran.RanConfig;
import dev.mecgw.app.ran.RanNetwork;
import dev.mecgw.ran.simulator.NetworkSimulator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Starts the 5G network integration in the RAN phase and stops it in the reverse one. The network side
 * (subscriptions, MEC registration) waits for both our start-up and our HTTP port, which is announced
 * asynchronously, before or after start-up.
 */
@ApplicationScoped
public class RanLifecycle {

    private final CompletableFuture<Integer> httpPort = new CompletableFuture<>();

    void onHttpStart(@ObservesAsync HttpServerStart event) {
        httpPort.complete(event.options().getPort());
    }

    void onStart(
            @Observes @Priority(LifecyclePhase.Order.RAN_START) StartupEvent event,
            RanConfig config,
            RanNetwork network,
            StartupReport report) {
        if (!network.enabled()) {
            return;
        }
        httpPort.thenAccept(network::callbacksReachable);
        Optional<URI> simulated = network.simulator().map(NetworkSimulator::baseUri);
        report.addListener(String.format(
                "5G network     : NEF %s, MEC %s%s",
                config.nef().apiRoot().or(() -> simulated).map(URI::toString).orElse("off"),
                config.mec().apiRoot().or(() -> simulated).map(URI::toString).orElse("off"),
                simulated.isEmpty() ? "" : " (simulator)"));
    }

    void onStop(
            @Observes @Priority(LifecyclePhase.Order.RAN_STOP) ShutdownEvent event,
            RanConfig config,
            RanNetwork network) {
        // The platform keeps registrations and subscriptions until deleted: leave nothing behind.
        network.stop(config.timeout());
    }
}
