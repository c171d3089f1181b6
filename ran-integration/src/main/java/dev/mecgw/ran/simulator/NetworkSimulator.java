package dev.mecgw.ran.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A simulated 5G core (NEF: MonitoringEvent, AsSessionWithQoS, UEId) and MEC platform (MEC 011 app
 * support and service management, MEC 012 RNIS, MEC 013 Location) on one HTTP port. Every API is served
 * under the same root, so that root is both the NEF {@code apiRoot} and the MEC platform root. Scenario
 * methods change the network and notify subscribers asynchronously, in order. Thread-safe.
 */
public final class NetworkSimulator implements AutoCloseable {

    private final List<Consumer<SimExchange>> listeners = new CopyOnWriteArrayList<>();
    private final SimNotifier notifier;
    private final SimulatedNetwork network;
    private final SimHttpServer server;

    private final SimAuthorization authorization;

    private NetworkSimulator(InetSocketAddress bind, SimAuthorization authorization) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Clock clock = Clock.systemUTC();
        Consumer<SimExchange> recorder = exchange -> listeners.forEach(listener -> listener.accept(exchange));
        this.notifier = new SimNotifier(json, recorder);
        this.network = new SimulatedNetwork(notifier, clock);
        URI[] base = new URI[1];
        List<SimRoute> routes = List.of(
                new NefMonitoringRoute(network, () -> base[0]),
                new NefQosRoute(network, () -> base[0]),
                new NefUeIdRoute(network),
                new MecAppSupportRoute(network, () -> base[0]),
                new MecServiceMgmtRoute(network, () -> base[0]),
                new RnisRoute(network, () -> base[0]),
                new LocationRoute(network, () -> base[0], clock));
        this.authorization = authorization;
        this.server = new SimHttpServer(bind, routes, json, authorization, recorder);
        base[0] = server.baseUri();
    }

    /**
     * Starts a simulator.
     *
     * @param bind address to listen on; port 0 picks a free one
     * @param bearerToken when present, every request must carry {@code Authorization: Bearer <token>}
     */
    public static NetworkSimulator start(InetSocketAddress bind, Optional<String> bearerToken) {
        return start(bind, new SimAuthorization(bearerToken, Optional.empty(), Clock.systemUTC()));
    }

    /**
     * Starts a simulator whose APIs need a token from its OAuth 2.0 token endpoint ({@link #tokenUri()},
     * client credentials grant).
     *
     * @param clientId the one client it knows
     * @param clientSecret that client's secret
     * @param tokenLifetime lifetime of the tokens it issues
     */
    public static NetworkSimulator startWithOAuth(
            InetSocketAddress bind, String clientId, String clientSecret, Duration tokenLifetime) {
        return start(
                bind,
                new SimAuthorization(
                        Optional.empty(),
                        Optional.of(new SimAuthorization.Client(clientId, clientSecret, tokenLifetime)),
                        Clock.systemUTC()));
    }

    private static NetworkSimulator start(InetSocketAddress bind, SimAuthorization authorization) {
        try {
            return new NetworkSimulator(bind, authorization);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the network simulator on " + bind, e);
        }
    }

    /** The OAuth 2.0 token endpoint (only answers when started with {@link #startWithOAuth}). */
    public URI tokenUri() {
        return URI.create(baseUri() + SimAuthorization.TOKEN_PATH);
    }

    /** Invalidates every token issued so far: the next call with one is answered 401. */
    public void revokeTokens() {
        authorization.revokeAll();
    }

    /** Number of tokens the token endpoint issued. */
    public int tokensIssued() {
        return authorization.issuedCount();
    }

    /** Starts a simulator on a free port of 127.0.0.1 without authentication, for tests. */
    public static NetworkSimulator startLocal() {
        return start(new InetSocketAddress("127.0.0.1", 0), Optional.empty());
    }

    /** The root of every simulated API, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUri() {
        return server.baseUri();
    }

    /** Adds a listener that sees every request, response and notification; called on simulator threads. */
    public void onExchange(Consumer<SimExchange> listener) {
        listeners.add(listener);
    }

    /** A UE attaches: reachability and location reports, RAB establishment for its default bearer. */
    public void attach(SimulatedUe ue) {
        network.attach(ue);
    }

    /** A UE is handed over to {@code cellId}: location report and MEC 012 cell change. */
    public void moveToCell(String ueIpv4, String cellId) {
        network.moveToCell(ueIpv4, cellId);
    }

    /** A UE drops off the network: LOSS_OF_CONNECTIVITY and termination of its QoS sessions. */
    public void loseConnectivity(String ueIpv4) {
        network.loseConnectivity(ueIpv4);
    }

    /** A UE comes back: UE_REACHABILITY report. */
    public void regainConnectivity(String ueIpv4) {
        network.regainConnectivity(ueIpv4);
    }

    /** The NEF cancels every monitoring subscription, notifying each with {@code cancelInd}. */
    public void cancelMonitoring() {
        network.cancelMonitoring();
    }

    /** The NEF forgets every monitoring subscription silently (a restart): updates get 404. */
    public void forgetMonitoring() {
        network.monitoring.clear();
    }

    /** From now on the PCF refuses this QoS reference (403). */
    public void refuseQos(String qosReference) {
        network.refusedQos.add(qosReference);
    }

    /** From now on the PCF grants this QoS reference again. */
    public void grantQos(String qosReference) {
        network.refusedQos.remove(qosReference);
    }

    /** The next {@code count} QoS requests are answered 503, as if the PCF were overloaded. */
    public void failNextQosRequests(int count) {
        network.qosUnavailable.set(count);
    }

    /** The MEC platform asks the application to terminate (MEC 011 AppTerminationNotification). */
    public void requestAppTermination(String appInstanceId) {
        network.requestTermination(
                baseUri() + "/mec_app_support/v1/applications/" + appInstanceId + "/confirm_termination");
    }

    /** Number of QoS sessions currently held, for assertions and the demo log. */
    public int qosSessionCount() {
        return network.qosSessions.size();
    }

    /** Number of QoS sessions currently held for one UE. */
    public long qosSessionCount(String ueIpv4) {
        return network.qosSessions.values().stream()
                .filter(session -> session.ueIpv4().equals(ueIpv4))
                .count();
    }

    /** Number of monitoring subscriptions currently held. */
    public int monitoringSubscriptionCount() {
        return network.monitoring.size();
    }

    /** Number of MEC 012 (RNIS) subscriptions currently held. */
    public int rnisSubscriptionCount() {
        return (int) network.mecSubs.values().stream()
                .filter(sub -> sub.type().startsWith("CellChange") || sub.type().startsWith("RabEst"))
                .count();
    }

    /** Number of MEC 011 AppTerminationNotification subscriptions currently held. */
    public int terminationSubscriptionCount() {
        return (int) network.mecSubs.values().stream()
                .filter(sub -> sub.type().equals("AppTerminationNotificationSubscription"))
                .count();
    }

    /** Number of services currently registered through MEC 011 service management. */
    public int mecServiceCount() {
        return network.services.size();
    }

    @Override
    public void close() {
        server.close();
        notifier.close();
    }
}
