package dev.mecgw.app.mqtt;

import dev.mecgw.app.acl.AccessPolicy;
import dev.mecgw.app.credentials.ClientCertificates;
import dev.mecgw.app.credentials.PasswordHasher;
import dev.mecgw.app.credentials.VerifiedPasswordCache;
import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.frames.FrameSink;
import dev.mecgw.app.gateway.DaemonThreads;
import dev.mecgw.app.ingest.RawMessageLog;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.ingest.TelemetryPayloadParser;
import dev.mecgw.app.mqtt.auth.ChainAuthHandler;
import dev.mecgw.app.mqtt.auth.PasswordAuthHandler;
import dev.mecgw.app.mqtt.auth.X509AuthHandler;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.mqtt.persistence.RetainedMessages;
import dev.mecgw.app.mqtt.persistence.RetainedStore;
import dev.mecgw.app.mqtt.persistence.SessionStore;
import dev.mecgw.app.mqtt.routing.CommandMessages;
import dev.mecgw.app.mqtt.routing.CommandResponseRoute;
import dev.mecgw.app.mqtt.routing.FrameRoute;
import dev.mecgw.app.mqtt.routing.MqttRouter;
import dev.mecgw.app.mqtt.routing.PublishRoute;
import dev.mecgw.app.mqtt.routing.TelemetryRoute;
import dev.mecgw.app.mqtt.routing.TwinReportedRoute;
import dev.mecgw.app.mqtt.session.Broker;
import dev.mecgw.app.mqtt.session.BrokerMetrics;
import dev.mecgw.app.mqtt.session.MqttSession;
import dev.mecgw.app.ran.NetworkAdmission;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.twin.CommandReceipts;
import dev.mecgw.app.twin.TwinStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
    private final PasswordAuthHandler passwords;
    private final MqttRouter router;
    private final TelemetryRoute telemetry;

    /** Everything the broker talks to, grouped to keep the constructor short. */
    public record Dependencies(
            DeviceRegistry registry,
            PasswordHasher hasher,
            ClientCertificates certificates,
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
            CommandReceipts commands,
            VerifiedPasswordCache verifiedPasswords) {}

    public MqttBroker(Vertx vertx, MqttConfig config, Dependencies deps) {
        this(vertx, config, deps, Clock.systemUTC());
    }

    /** @param clock time of session expiry and of the failed-login windows; tests pass one they can move */
    public MqttBroker(Vertx vertx, MqttConfig config, Dependencies deps, Clock clock) {
        Context context = ((VertxInternal) vertx).createEventLoopContext();
        this.storeThread = Executors.newSingleThreadExecutor(DaemonThreads.named("mecgw-mqtt-store"));
        BrokerMetrics metrics = new BrokerMetrics(deps.meters());
        this.broker = new Broker(
                vertx,
                context,
                new Broker.Limits(
                        config.maxQueuedMessages(),
                        config.maxQueuedBytes(),
                        config.maxPublisherPause(),
                        config.maxSessionExpiry(),
                        config.maxSessionsPerDevice(),
                        config.maxSessions(),
                        new RetainedMessages.Quota(
                                config.maxRetainedPerDevice(),
                                config.maxRetainedBytesPerDevice(),
                                config.maxRetainedMessages(),
                                config.maxRetainedBytes())),
                deps.retained(),
                deps.sessions(),
                storeThread,
                metrics,
                clock);
        this.passwords = new PasswordAuthHandler(
                deps.registry(),
                deps.hasher(),
                deps.verifiedPasswords(),
                new PasswordAuthHandler.Limits(
                        config.passwordCacheTtl(),
                        config.authFailuresPerDevice(),
                        config.authFailuresPerAddress(),
                        config.authFailureWindow(),
                        config.authHashThreads(),
                        config.authHashQueue()),
                clock,
                deps.meters());
        ChainAuthHandler auth = new ChainAuthHandler(
                List.of(new X509AuthHandler(vertx, deps.certificates()), passwords), config.allowAnonymous());
        this.telemetry = new TelemetryRoute(deps.parser(), deps.ingest(), deps.rejections(), context, metrics);
        this.router = new MqttRouter(List.of(
                telemetry,
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

    /**
     * Adds a route owned by another area, e.g. the Sparkplug host (issue 21.3); call before {@link #start()}.
     *
     * @param route consulted after the built-in routes, on the broker's event loop
     * @param wills told of every will before it is relayed (a Sparkplug NDEATH), on the broker's event loop
     */
    public void addRoute(PublishRoute route, Consumer<BrokerMessage> wills) {
        router.add(route);
        broker.onWill(wills);
    }

    /**
     * Keeps every telemetry publish with its outcome in {@code log} (the console's last raw messages of a device,
     * issue 19); call before {@link #start()}.
     */
    public void recordRawTelemetry(RawMessageLog log) {
        telemetry.recordTo(log);
    }

    /** The message core, for gateway-originated publishes. */
    public Broker broker() {
        return broker;
    }

    /**
     * Cuts a device off (issue 15.9): forgets its verified passwords and closes its live connections at once,
     * MQTT 5 ones with DISCONNECT 0x87 not authorized. Its persistent sessions stay until they expire, so that a
     * re-keyed device resumes them with its new credentials. Thread-safe.
     */
    public void revoke(String deviceId) {
        passwords.forget(deviceId);
        broker.execute(() -> broker.sessionsOf(deviceId).stream()
                .filter(MqttSession::isOnline)
                .map(MqttSession::endpoint)
                .forEach(MqttBroker::cutOff));
    }

    private static void cutOff(MqttEndpoint endpoint) {
        if (endpoint.protocolVersion() == 5 && endpoint.isConnected()) {
            endpoint.disconnect(MqttDisconnectReasonCode.NOT_AUTHORIZED, MqttProperties.NO_PROPERTIES);
        }
        if (endpoint.isConnected()) {
            endpoint.close();
        }
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
        passwords.close();
        storeThread.shutdown();
        try {
            storeThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
