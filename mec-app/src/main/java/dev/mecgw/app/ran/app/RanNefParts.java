package dev.mecgw.app.ran.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.ran.PostgresSimRegistry;
import dev.mecgw.app.ran.RanConfig;
import dev.mecgw.ran.callback.CallbackInbox;
import dev.mecgw.ran.event.NetworkEventSink;
import dev.mecgw.ran.identity.SimIdentityCheck;
import dev.mecgw.ran.nef.MonitoringSubscriptions;
import dev.mecgw.ran.nef.NefApi;
import dev.mecgw.ran.nef.NefAsSessionWithQosClient;
import dev.mecgw.ran.nef.NefMonitoringEventClient;
import dev.mecgw.ran.nef.NefUeIdClient;
import dev.mecgw.ran.presence.NetworkPresence;
import dev.mecgw.ran.qos.QosOnDemand;
import dev.mecgw.ran.qos.QosPolicy;
import dev.mecgw.ran.transport.ApiCalls;
import dev.mecgw.ran.transport.Backoff;
import dev.mecgw.ran.transport.JdkRestTransport;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;

/**
 * What the gateway builds on the NEF: identity checks (UEId), QoS on demand (AsSessionWithQoS) and, with
 * an external group configured, the monitoring subscriptions (MonitoringEvent).
 *
 * @param monitoring null without {@code mecgw.ran.nef.external-group-id}
 */
record RanNefParts(SimIdentityCheck identity, QosOnDemand qos, MonitoringSubscriptions monitoring) {

    /** The gateway-side collaborators every part shares. */
    record Shared(
            PostgresSimRegistry registry,
            NetworkEventSink events,
            CallbackInbox inbox,
            NetworkPresence presence,
            ScheduledExecutorService scheduler,
            Clock clock,
            UnaryOperator<String> onboardingIds,
            ApiCalls calls) {}

    static RanNefParts build(RanConfig config, URI nefRoot, Shared shared) {
        JdkRestTransport http = new JdkRestTransport(
                new ObjectMapper(),
                config.timeout(),
                RanAccessTokens.of(config.nef().oauth(), config.nef().token(), config.timeout()),
                shared.calls());
        NefApi nef = new NefApi(nefRoot, config.nef().scsAsId());
        SimIdentityCheck identity = new SimIdentityCheck(
                        RanSlicePolicies.from(config),
                        new NefUeIdClient(http, nef)::externalIdOf,
                        shared.registry(),
                        shared.events(),
                        shared.scheduler(),
                        shared.clock(),
                        shared.onboardingIds())
                .requiring(RanSlicePolicies.requirement(config));
        QosOnDemand[] qos = new QosOnDemand[1];
        RanConfig.Qos limits = config.qos();
        qos[0] = new QosOnDemand(
                new NefAsSessionWithQosClient(http, nef),
                shared.scheduler(),
                shared.events(),
                new QosPolicy(limits.maxAttempts(), limits.initialBackoff(), limits.maxBackoff(), limits.maxDuration()),
                () -> shared.inbox().newDestination(qos[0]::onUserPlaneNotification),
                shared.clock());
        MonitoringSubscriptions monitoring = config.nef()
                .externalGroupId()
                .map(group -> new MonitoringSubscriptions(
                        new NefMonitoringEventClient(http, nef),
                        shared.inbox(),
                        shared.presence()::onMonitoring,
                        new MonitoringSubscriptions.Plan(
                                group,
                                config.nef().subscriptionLifetime(),
                                new Backoff(
                                        config.nef().resubscribeInitialBackoff(),
                                        config.nef().resubscribeMaxBackoff())),
                        shared.scheduler(),
                        shared.clock()))
                .orElse(null);
        return new RanNefParts(identity, qos[0], monitoring);
    }
}
