package dev.mecgw.app.ran;

import dev.mecgw.ran.callback.CallbackInbox;
import dev.mecgw.ran.identity.SimIdentityCheck;
import dev.mecgw.ran.nef.MonitoringSubscriptions;
import dev.mecgw.ran.presence.NetworkPresence;
import dev.mecgw.ran.qos.QosOnDemand;
import dev.mecgw.ran.simulator.NetworkSimulator;
import dev.mecgw.ran.transport.ApiCalls;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The 5G network integration of the gateway, the one entry point of the area: the callback inbox, presence,
 * identity checks, QoS on demand, the NEF monitoring subscriptions, the MEC platform handshake (see
 * {@link MecHandshake}) and, in demo mode, the simulator. Built once from configuration by the area's
 * wiring; {@link #off()} when {@code mecgw.ran.enabled} is false, whose parts are all empty. The network
 * side (subscriptions, MEC registration) starts once our HTTP port is known ({@link #callbacksReachable}),
 * since the network must be able to call back. Thread-safe.
 */
public final class RanNetwork {

    private static final Logger LOG = Logger.getLogger(RanNetwork.class);

    /**
     * What the wiring built.
     *
     * @param identity null without a NEF
     * @param qos null without a NEF
     * @param monitoring null without a NEF or without an external group
     * @param mec null without a MEC platform
     * @param simulator null outside demo mode
     * @param calls the last NEF and MEC call of each API (issue 19)
     */
    public record Parts(
            CallbackBase callbacks,
            CallbackInbox inbox,
            NetworkPresence presence,
            PostgresSimRegistry registry,
            SimIdentityCheck identity,
            QosOnDemand qos,
            MonitoringSubscriptions monitoring,
            MecHandshake mec,
            NetworkSimulator simulator,
            ScheduledExecutorService scheduler,
            ApiCalls calls) {}

    private final Parts parts;
    private final Optional<URI> serviceEndpoint;
    private final AtomicBoolean networkSideStarted = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Map<String, String> ueAddresses = new ConcurrentHashMap<>();

    /**
     * @param parts the running parts, null when the integration is off
     * @param serviceEndpoint where MEC 011 announces our service, if configured
     */
    public RanNetwork(Parts parts, Optional<URI> serviceEndpoint) {
        this.parts = parts;
        this.serviceEndpoint = serviceEndpoint;
    }

    /** The integration when it is off: every part is empty and nothing starts. */
    public static RanNetwork off() {
        return new RanNetwork(null, Optional.empty());
    }

    /** Whether the integration runs. */
    public boolean enabled() {
        return parts != null;
    }

    /**
     * Our HTTP server listens on {@code port}: subscribes to the NEF monitoring events and registers with the
     * MEC platform, once, on the integration's own threads. Does nothing when off, already started, or when
     * the network could not reach us (a random port and no {@code mecgw.ran.callback-base-url}).
     */
    public void callbacksReachable(int port) {
        if (parts == null || stopped.get()) {
            return;
        }
        parts.callbacks().portBound(port);
        if (!parts.callbacks().known()) {
            LOG.warn("5G network: HTTP port unknown and mecgw.ran.callback-base-url not set; no subscriptions");
            return;
        }
        if (!networkSideStarted.compareAndSet(false, true)) {
            return;
        }
        LOG.infof(
                "5G network: subscribing, callbacks under %s", parts.callbacks().get());
        if (parts.monitoring() != null) {
            parts.scheduler().execute(parts.monitoring()::start);
        }
        if (parts.mec() != null) {
            parts.scheduler().execute(() -> parts.mec().start(serviceEndpoint));
        }
    }

    /**
     * Stops everything, leaving no registration or subscription behind on the MEC platform; the network
     * calls of that clean-up wait at most {@code timeout} each. Idempotent.
     */
    public void stop(Duration timeout) {
        if (parts == null || !stopped.compareAndSet(false, true)) {
            return;
        }
        if (parts.mec() != null) {
            parts.mec().stop(timeout);
        }
        if (parts.qos() != null) {
            parts.qos().close();
        }
        if (parts.monitoring() != null) {
            parts.monitoring().close();
        }
        parts.scheduler().shutdownNow();
        if (parts.simulator() != null) {
            parts.simulator().close();
        }
    }

    /** The callback inbox, when the integration runs. */
    public Optional<CallbackInbox> inbox() {
        return part(Parts::inbox);
    }

    /** Network presence, when the integration runs. */
    public Optional<NetworkPresence> presence() {
        return part(Parts::presence);
    }

    /** SIM identity checks for the MQTT/CoAP front-ends, when a NEF is configured. */
    public Optional<SimIdentityCheck> identity() {
        return part(Parts::identity);
    }

    /** QoS on demand, when a NEF is configured. */
    public Optional<QosOnDemand> qos() {
        return part(Parts::qos);
    }

    /** The registry adapter (zero-touch secrets), when the integration runs. */
    public Optional<PostgresSimRegistry> registry() {
        return part(Parts::registry);
    }

    /** The last call of each NEF and MEC API and its outcome, when the integration runs (issue 19). */
    public Optional<ApiCalls> calls() {
        return part(Parts::calls);
    }

    /** Whether a MEC platform is configured (MEC 011/012/013 are called). */
    public boolean mecConfigured() {
        return part(Parts::mec).isPresent();
    }

    /** The built-in simulator, in demo mode only. */
    public Optional<NetworkSimulator> simulator() {
        return part(Parts::simulator);
    }

    /**
     * A device was admitted from a UE address: its IPv4 address is remembered for QoS rules (the latest
     * admission wins, in memory), and its cell is watched through MEC 012 when there is a MEC platform.
     */
    public void admitted(String deviceId, InetAddress ueAddress) {
        if (ueAddress instanceof Inet4Address) {
            ueAddresses.put(deviceId, ueAddress.getHostAddress());
        }
        part(Parts::mec).ifPresent(mec -> mec.watchCell(deviceId, ueAddress.getHostAddress()));
    }

    /** The IPv4 UE address a device was last admitted from, if any. */
    public Optional<String> admittedUeIpv4(String deviceId) {
        return Optional.ofNullable(ueAddresses.get(deviceId));
    }

    private <T> Optional<T> part(java.util.function.Function<Parts, T> part) {
        return Optional.ofNullable(parts).map(part);
    }
}
