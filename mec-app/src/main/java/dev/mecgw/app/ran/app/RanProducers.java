package dev.mecgw.app.ran.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.credentials.SecretCipher;
import dev.mecgw.app.gateway.DaemonThreads;
import dev.mecgw.app.ran.CallbackBase;
import dev.mecgw.app.ran.MecHandshake;
import dev.mecgw.app.ran.MeteredNetworkEventSink;
import dev.mecgw.app.ran.PostgresNetworkEventSink;
import dev.mecgw.app.ran.PostgresSimRegistry;
import dev.mecgw.app.ran.PresenceNetworkView;
import dev.mecgw.app.ran.RanConfig;
import dev.mecgw.app.ran.RanNetwork;
import dev.mecgw.app.ran.SimNetworkAdmission;
import dev.mecgw.app.ran.SliceTopicScopes;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.registry.DeviceRevocations;
import dev.mecgw.ran.callback.CallbackInbox;
import dev.mecgw.ran.event.NetworkEventSink;
import dev.mecgw.ran.mec.MecPlatform;
import dev.mecgw.ran.presence.NetworkPresence;
import dev.mecgw.ran.simulator.NetworkSimulator;
import dev.mecgw.ran.transport.ApiCalls;
import dev.mecgw.ran.transport.JdkRestTransport;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;

/**
 * Builds the 5G network integration from {@code mecgw.ran.*}: the {@link RanNetwork} (clients, callback
 * inbox, presence, identity checks, QoS on demand, NEF monitoring, MEC handshake, simulator in demo mode;
 * {@link RanNetwork#off()} when disabled) and what the rest of the gateway sees of it: the admission of
 * devices, their network state and their slice's topic scopes. {@link RanLifecycle} starts and stops it.
 */
@ApplicationScoped
public class RanProducers {

    /** Built when first needed, at the latest by {@link RanLifecycle} in the RAN phase; demo mode starts the simulator. */
    @Produces
    @Singleton
    RanNetwork ranNetwork(
            RanConfig config,
            DeviceRegistry devices,
            DataSource dataSource,
            SecretCipher cipher,
            MeterRegistry meters,
            Clock clock) {
        if (!config.enabled()) {
            return RanNetwork.off();
        }
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, DaemonThreads.named("mecgw-ran-%d"));
        NetworkSimulator simulator = config.simulator().enabled() ? RanSimulatorMode.start(config, scheduler) : null;
        Optional<URI> simulated = Optional.ofNullable(simulator).map(NetworkSimulator::baseUri);
        PostgresSimRegistry registry = new PostgresSimRegistry(devices, dataSource, cipher);
        NetworkEventSink events =
                new MeteredNetworkEventSink(new PostgresNetworkEventSink(dataSource, new ObjectMapper()), meters);
        CallbackBase callbacks = new CallbackBase(config.callbackBaseUrl());
        CallbackInbox inbox = new CallbackInbox(callbacks);
        NetworkPresence presence = new NetworkPresence(registry, registry, events);
        // Every NEF and MEC call's outcome, for the console's 5G tile (issue 19).
        ApiCalls calls = new ApiCalls(clock);
        RanNefParts nef = config.nef()
                .apiRoot()
                .or(() -> simulated)
                .map(uri -> RanNefParts.build(
                        config,
                        uri,
                        new RanNefParts.Shared(
                                registry,
                                events,
                                inbox,
                                presence,
                                scheduler,
                                clock,
                                // issue 14.9: the device id must not carry the SIM's external id to the cloud
                                gpsi -> "sim-" + cipher.keyedId("onboarding", gpsi),
                                calls)))
                .orElse(new RanNefParts(null, null, null));
        MecHandshake mec = config.mec()
                .apiRoot()
                .or(() -> simulated)
                .map(root -> mecHandshake(config, root, inbox, presence, calls))
                .orElse(null);
        return new RanNetwork(
                new RanNetwork.Parts(
                        callbacks,
                        inbox,
                        presence,
                        registry,
                        nef.identity(),
                        nef.qos(),
                        nef.monitoring(),
                        mec,
                        simulator,
                        scheduler,
                        calls),
                config.mec().serviceEndpoint());
    }

    private static MecHandshake mecHandshake(
            RanConfig config, URI root, CallbackInbox inbox, NetworkPresence presence, ApiCalls calls) {
        return new MecHandshake(
                new JdkRestTransport(
                        new ObjectMapper(),
                        config.timeout(),
                        RanAccessTokens.of(config.mec().oauth(), config.mec().token(), config.timeout()),
                        calls),
                new MecPlatform(root, config.mec().appInstanceId()),
                inbox,
                presence);
    }

    /**
     * The time the 5G integration reads (QoS session ends, subscription lifetimes, API call times): the system's.
     * A test replaces it with a clock it moves, so that a QoS session's end is reached without waiting (issue 13.5).
     */
    @Produces
    @Singleton
    @DefaultBean
    Clock ranClock() {
        return Clock.systemUTC();
    }

    /** The slice each device was admitted through confines its topics (the ACL asks for {@code TopicScopes}). */
    @Produces
    @Singleton
    SliceTopicScopes sliceTopicScopes() {
        return new SliceTopicScopes();
    }

    /** Admission of MQTT and CoAP devices by SIM identity; admits everyone when the integration is off. */
    @Produces
    @Singleton
    SimNetworkAdmission networkAdmission(RanNetwork network, SliceTopicScopes scopes, DeviceRevocations revocations) {
        return new SimNetworkAdmission(network, scopes, revocations);
    }

    /** The network state shown in the device document. */
    @Produces
    @Singleton
    PresenceNetworkView presenceNetworkView(RanNetwork network) {
        return new PresenceNetworkView(network);
    }
}
