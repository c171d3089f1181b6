package dev.mecgw.app.ran.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.credentials.SecretCipher;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.gateway.app.StartupReport;
import dev.mecgw.app.ran.MecHandshake;
import dev.mecgw.app.ran.MeteredNetworkEventSink;
import dev.mecgw.app.ran.PostgresNetworkEventSink;
import dev.mecgw.app.ran.PostgresSimRegistry;
import dev.mecgw.app.ran.RanConfig;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.ran.callback.CallbackInbox;
import dev.mecgw.ran.event.NetworkEventSink;
import dev.mecgw.ran.identity.SimIdentityCheck;
import dev.mecgw.ran.mec.MecPlatform;
import dev.mecgw.ran.nef.MonitoringSubscriptions;
import dev.mecgw.ran.presence.NetworkPresence;
import dev.mecgw.ran.qos.QosOnDemand;
import dev.mecgw.ran.simulator.NetworkSimulator;
import dev.mecgw.ran.transport.JdkRestTransport;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Builds and runs the 5G network integration when {@code mecgw.ran.enabled}: the clients, the callback
 * inbox, presence, identity checks, QoS on demand, the NEF monitoring subscriptions and the MEC platform
 * handshake (see {@link MecHandshake}); in demo mode also the simulator. Everything else asks it for the
 * parts, which are empty when the integration is off.
 */
@ApplicationScoped
public class RanRuntime {

    private static final Logger LOG = Logger.getLogger(RanRuntime.class);

    /** The running parts; null fields are parts that are not configured. */
    record Parts(
            CallbackInbox inbox,
            NetworkPresence presence,
            SimIdentityCheck identity,
            QosOnDemand qos,
            PostgresSimRegistry registry,
            MonitoringSubscriptions monitoring,
            MecHandshake mec,
            NetworkSimulator simulator,
            ScheduledExecutorService scheduler) {}

    private volatile Parts parts;
    private volatile Optional<URI> serviceEndpoint = Optional.empty();
    private volatile int boundPort;
    private volatile boolean httpStarted;
    private volatile RanConfig config;
    private final AtomicBoolean networkSideStarted = new AtomicBoolean();
    private final Map<String, String> ueAddresses = new ConcurrentHashMap<>();

    /** Our HTTP port is bound: from now on the network may call back. Comes before or after start-up. */
    void onHttpStart(@ObservesAsync HttpServerStart event) {
        httpStarted = true;
        boundPort = event.options().getPort();
        LOG.debugf("HTTP listening on port %d", boundPort);
        startNetworkSide();
    }

    private void startNetworkSide() {
        Parts current = parts;
        if (current == null || !httpStarted) {
            return;
        }
        if (boundPort <= 0 && config.callbackBaseUrl().isEmpty()) {
            // A random HTTP port (0) is not published to us; the network could not call back.
            LOG.warn("5G network: HTTP port unknown and mecgw.ran.callback-base-url not set; no subscriptions");
            return;
        }
        if (!networkSideStarted.compareAndSet(false, true)) {
            return;
        }
        LOG.infof("5G network: subscribing, callbacks under %s", callbackBase(config, boundPort));
        if (current.monitoring() != null) {
            current.scheduler().execute(current.monitoring()::start);
        }
        if (current.mec() != null) {
            current.scheduler().execute(() -> current.mec().start(serviceEndpoint));
        }
    }

    void onStart(
            @Observes @Priority(LifecyclePhase.Order.RAN_START) StartupEvent event,
            RanConfig config,
            DeviceRegistry devices,
            DataSource dataSource,
            SecretCipher cipher,
            StartupReport report,
            MeterRegistry meters) {
        if (!config.enabled()) {
            return;
        }
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "mecgw-ran");
            thread.setDaemon(true);
            return thread;
        });
        NetworkSimulator simulator = config.simulator().enabled() ? RanSimulatorMode.start(config, scheduler) : null;
        Optional<URI> root = Optional.ofNullable(simulator).map(NetworkSimulator::baseUri);
        Clock clock = Clock.systemUTC();
        PostgresSimRegistry registry = new PostgresSimRegistry(devices, dataSource, cipher);
        NetworkEventSink events =
                new MeteredNetworkEventSink(new PostgresNetworkEventSink(dataSource, new ObjectMapper()), meters);
        CallbackInbox inbox = new CallbackInbox(() -> callbackBase(config, boundPort));
        NetworkPresence presence = new NetworkPresence(registry, registry, events);
        Optional<URI> nefRoot = config.nef().apiRoot().or(() -> root);
        RanNefParts nef = nefRoot.map(uri -> RanNefParts.build(
                        config, uri, new RanNefParts.Shared(registry, events, inbox, presence, scheduler, clock)))
                .orElse(new RanNefParts(null, null, null));
        MecHandshake mec = config.mec()
                .apiRoot()
                .or(() -> root)
                .map(mecRoot -> new MecHandshake(
                        new JdkRestTransport(
                                new ObjectMapper(),
                                config.timeout(),
                                RanAccessTokens.of(
                                        config.mec().oauth(), config.mec().token(), config.timeout())),
                        new MecPlatform(mecRoot, config.mec().appInstanceId()),
                        inbox,
                        presence))
                .orElse(null);
        serviceEndpoint = config.mec().serviceEndpoint();
        this.config = config;
        parts = new Parts(
                inbox, presence, nef.identity(), nef.qos(), registry, nef.monitoring(), mec, simulator, scheduler);
        startNetworkSide();
        report.addListener(String.format(
                "5G network     : NEF %s, MEC %s%s",
                nefRoot.map(URI::toString).orElse("off"),
                config.mec().apiRoot().or(() -> root).map(URI::toString).orElse("off"),
                simulator == null ? "" : " (simulator)"));
    }

    void onStop(@Observes @Priority(LifecyclePhase.Order.RAN_STOP) ShutdownEvent event) {
        Parts current = parts;
        if (current == null) {
            return;
        }
        parts = null;
        if (current.mec() != null) {
            // The platform keeps registrations and subscriptions until deleted: leave nothing behind.
            current.mec().stop(config.timeout());
        }
        if (current.qos() != null) {
            current.qos().close();
        }
        if (current.monitoring() != null) {
            current.monitoring().close();
        }
        current.scheduler().shutdownNow();
        if (current.simulator() != null) {
            current.simulator().close();
        }
    }

    /** The callback inbox, when the integration runs. */
    public Optional<CallbackInbox> inbox() {
        return Optional.ofNullable(parts).map(Parts::inbox);
    }

    /** Network presence, when the integration runs. */
    public Optional<NetworkPresence> presence() {
        return Optional.ofNullable(parts).map(Parts::presence);
    }

    /** SIM identity checks for the MQTT/CoAP front-ends, when a NEF is configured. */
    public Optional<SimIdentityCheck> identity() {
        return Optional.ofNullable(parts).map(Parts::identity);
    }

    /** QoS on demand, when a NEF is configured. */
    public Optional<QosOnDemand> qos() {
        return Optional.ofNullable(parts).map(Parts::qos);
    }

    /** The registry adapter (zero-touch secrets), when the integration runs. */
    public Optional<PostgresSimRegistry> registry() {
        return Optional.ofNullable(parts).map(Parts::registry);
    }

    /** The built-in simulator, in demo mode only. */
    public Optional<NetworkSimulator> simulator() {
        return Optional.ofNullable(parts).map(Parts::simulator);
    }

    /**
     * A device was admitted from a UE address: its IPv4 address is remembered for QoS rules (the latest
     * admission wins, in memory), and its cell is watched through MEC 012 when there is a MEC platform.
     */
    public void admitted(String deviceId, InetAddress ueAddress) {
        if (ueAddress instanceof Inet4Address) {
            ueAddresses.put(deviceId, ueAddress.getHostAddress());
        }
        Optional.ofNullable(parts)
                .map(Parts::mec)
                .ifPresent(mec -> mec.watchCell(deviceId, ueAddress.getHostAddress()));
    }

    /** The IPv4 UE address a device was last admitted from, if any. */
    public Optional<String> admittedUeIpv4(String deviceId) {
        return Optional.ofNullable(ueAddresses.get(deviceId));
    }

    private static URI callbackBase(RanConfig config, int port) {
        return config.callbackBaseUrl().orElseGet(() -> URI.create("http://127.0.0.1:" + port + "/ran/callbacks"));
    }
}
