package dev.mecgw.ran.nef;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.ran.transport.JdkRestTransport;
import dev.mecgw.ran.transport.NetworkApiException;
import java.util.concurrent.CompletableFuture;

/**
 * Client of the TS 29.122 AsSessionWithQoS API ({@code 3gpp-as-session-with-qos/v1}): create, change and
 * release a QoS session for a UE's flows.
 */
public class NefAsSessionWithQosClient {

    private static final String API = "3gpp-as-session-with-qos";

    private final JdkRestTransport http;
    private final NefApi nef;

    /** Uses {@code http} to reach the NEF at {@code nef}. */
    public NefAsSessionWithQosClient(JdkRestTransport http, NefApi nef) {
        this.http = http;
        this.nef = nef;
    }

    /**
     * Creates the session ({@code POST /{scsAsId}/subscriptions}).
     *
     * @return the session resource; fails with {@link NetworkApiException}, e.g. 403 when the network refuses
     *     the QoS
     */
    public CompletableFuture<NefSubscription> create(QosSessionRequest request) {
        ObjectNode body = http.json().createObjectNode();
        body.put("notificationDestination", request.notificationDestination().toString());
        body.put("ueIpv4Addr", request.ueIpv4());
        ObjectNode flow = body.putArray("flowInfo").addObject();
        flow.put("flowId", 1);
        request.flowDescriptions().forEach(flow.putArray("flowDescriptions")::add);
        body.put("qosReference", request.qosReference());
        // Ask to be told when the network can no longer hold the QoS (TS 29.122 clause 5.14.2.1.2).
        body.putArray("events")
                .add("SESSION_TERMINATION")
                .add("QOS_NOT_GUARANTEED")
                .add("FAILED_RESOURCES_ALLOCATION");
        return http.send(
                        "POST",
                        nef.resolve(API, NefMonitoringEventClient.segment(nef.scsAsId()) + "/subscriptions"),
                        body)
                .thenApply(response -> new NefSubscription(response.location()
                        .orElseThrow(() -> new NetworkApiException(
                                response.status(), null, "the NEF created a QoS session without a Location header"))));
    }

    /** Switches the session to another QoS profile ({@code PATCH}, JSON merge patch). */
    public CompletableFuture<Void> changeQos(NefSubscription session, String qosReference) {
        ObjectNode patch = http.json().createObjectNode().put("qosReference", qosReference);
        return http.send("PATCH", session.self(), patch, JdkRestTransport.MERGE_PATCH)
                .thenApply(r -> null);
    }

    /** Releases the session ({@code DELETE}). */
    public CompletableFuture<Void> delete(NefSubscription session) {
        return http.send("DELETE", session.self(), null).thenApply(r -> null);
    }
}
