package dev.mecgw.app.mqtt;

import dev.mecgw.app.acl.AccessPolicy;
import dev.mecgw.app.credentials.DeviceCertificates;
import dev.mecgw.app.credentials.PasswordHasher;
import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.frames.FrameSink;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.ingest.TelemetryPayloadParser;
import dev.mecgw.app.mqtt.auth.ChainAuthHandler;
import dev.mecgw.app.mqtt.auth.PasswordAuthHandler;
import dev.mecgw.app.mqtt.auth.X509AuthHandler;
import dev.mecgw.app.mqtt.persistence.RetainedStore;
import dev.mecgw.app.mqtt.persistence.SessionStore;
import dev.mecgw.app.mqtt.routing.CommandMessages;
import dev.mecgw.app.mqtt.routing.CommandResponseRoute;
import dev.mecgw.app.mqtt.routing.FrameRoute;
import dev.mecgw.app.mqtt.routing.MqttRouter;
import dev.mecgw.app.mqtt.routing.TelemetryRoute;
import dev.mecgw.app.mqtt.routing.TwinReportedRoute;
import dev.mecgw.app.mqtt.session.Broker;
import dev.mecgw.app.mqtt.session.BrokerMetrics;
import dev.mecgw.app.ran.NetworkAdmission;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.twin.CommandReceipts;
import dev.mecgw.app.twin.TwinStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.jboss.logging.Logger;

/**
 * Assembles the broker: endpoint → auth chain → connection/session → router → ingest sink. Owns one
 * event-loop context (all broker state lives there) and one ordered store thread for retained
 * messages, presence and events.
 */
public class MqttBroker {

    private static final Logger LOG = Logger.getLogger(MqttBroker.class);

    private final Broker broker;
    private final VertxMqttEndpoint endpoint;
    private final ExecutorService storeThread;

    /** Everything the broker talks to, grouped to keep the constructor short. */
    public record Dependencies(
            DeviceRegistry registry,
            PasswordHasher hasher,
            DeviceCertificates certificates,
            AccessPolicy policy,
            TelemetryIngest ingest,
            TelemetryPayloadParser parser,
            RejectedPayloadEvents rejections,
            TwinStore twins,
            RetainedStore retained,
            SessionStore sessions,
            FrameSink frames,
            NetworkAdmission admission,
            MeterRegistry meters,
            CommandReceipts commands) {}

    public MqttBroker(Vertx vertx, MqttConfig config, Dependencies deps) {
        this(vertx, config, deps, Clock.systemUTC());
    }

    /** @param clock time for session expiry; tests pass one they can move */
    public MqttBroker(Vertx vertx, MqttConfig config, Dependencies deps, Clock clock) {
        Context context = ((VertxInternal) vertx).createEventLoopContext();
        this.storeThread = Executors.newSingleThreadExecutor(BasicThreadFactory.builder()
                .namingPattern("mecgw-mqtt-store")
                .daemon(true)
                .build());
        BrokerMetrics metrics = new BrokerMetrics(deps.meters());
        this.broker = new Broker(
                vertx,
                context,
                new Broker.Limits(
                        config.maxQueuedMessages(),
                        config.maxQueuedBytes(),
                        config.maxPublisherPause(),
                        config.maxSessionExpiry()),
                deps.retained(),
                deps.sessions(),
                storeThread,
                metrics,
                clock);
        ChainAuthHandler auth = new ChainAuthHandler(
                List.of(
                        new X509AuthHandler(vertx, deps.certificates()::deviceFor),
                        new PasswordAuthHandler(vertx, deps.registry(), deps.hasher(), config.passwordCacheTtl())),
                config.allowAnonymous());
        MqttRouter router = new MqttRouter(List.of(
                new TelemetryRoute(deps.parser(), deps.ingest(), deps.rejections(), context, metrics),
                new TwinReportedRoute(vertx, deps.twins()),
                new FrameRoute(deps.frames(), context),
                new CommandResponseRoute(deps.commands())));
        // A device's PUBACK of a command is its delivery (issue 17).
        broker.onDeviceAck(message -> CommandMessages.deviceAndId(message)
                .ifPresent(command -> deps.commands().delivered(command.deviceId(), command.value())));
        BrokerContext ctx = new BrokerContext(
                broker,
                auth,
                deps.admission(),
                deps.policy(),
                router,
                config,
                metrics,
                (device, online) -> storeThread.execute(() -> presence(deps.registry(), device, online)));
        this.endpoint = new VertxMqttEndpoint(vertx, context, ctx);
    }

    private static void presence(DeviceRegistry registry, String deviceId, boolean online) {
        try {
            registry.updatePresence(deviceId, online, Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("Presence of %s not recorded: %s", deviceId, e.getMessage());
        }
    }

    /** Loads retained messages and persistent sessions (blocking), then binds the listeners; completes with the plain port. */
    public Future<Integer> start() {
        broker.loadRetained();
        broker.loadSessions();
        return endpoint.start();
    }

    /** The message core, for gateway-originated publishes. */
    public Broker broker() {
        return broker;
    }

    public int port() {
        return endpoint.port();
    }

    public int tlsPort() {
        return endpoint.tlsPort();
    }

    /** Closes the listeners and flushes pending store writes. */
    public void stop() {
        try {
            endpoint.stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debugf("MQTT listeners did not close cleanly: %s", e.getMessage());
        }
        storeThread.shutdown();
        try {
            storeThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
