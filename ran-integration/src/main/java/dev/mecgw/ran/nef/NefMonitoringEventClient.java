package dev.mecgw.ran.nef;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.ran.transport.JdkRestTransport;
import dev.mecgw.ran.transport.NetworkApiException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;

/**
 * Client of the TS 29.122 MonitoringEvent API ({@code 3gpp-monitoring-event/v1}): creates and deletes
 * subscriptions; the reports arrive at the callback given in each request (see {@link MonitoringCallbacks}).
 */
public class NefMonitoringEventClient {

    private static final String API = "3gpp-monitoring-event";

    private final JdkRestTransport http;
    private final NefApi nef;

    /** Uses {@code http} to reach the NEF at {@code nef}. */
    public NefMonitoringEventClient(JdkRestTransport http, NefApi nef) {
        this.http = http;
        this.nef = nef;
    }

    /**
     * Creates a subscription ({@code POST /{scsAsId}/subscriptions}).
     *
     * @return the created resource; fails with {@link NetworkApiException} when the NEF refuses
     */
    public CompletableFuture<NefSubscription> subscribe(MonitoringSubscriptionRequest request) {
        URI uri = nef.resolve(API, segment(nef.scsAsId()) + "/subscriptions");
        return http.send("POST", uri, body(request))
                .thenApply(response -> new NefSubscription(response.location()
                        .orElseThrow(() -> new NetworkApiException(
                                response.status(), null, "the NEF created a subscription without a Location header"))));
    }

    /**
     * Replaces a subscription ({@code PUT} on its resource URI), e.g. to extend {@code monitorExpireTime}.
     *
     * @return completes when the NEF accepted (200 or 204); fails with {@link NetworkApiException}, status
     *     404 when the NEF no longer knows the subscription
     */
    public CompletableFuture<Void> update(NefSubscription subscription, MonitoringSubscriptionRequest request) {
        return http.send("PUT", subscription.self(), body(request)).thenApply(response -> null);
    }

    /** Deletes a subscription ({@code DELETE} on its resource URI); completes when the NEF confirms. */
    public CompletableFuture<Void> unsubscribe(NefSubscription subscription) {
        return http.send("DELETE", subscription.self(), null).thenApply(response -> null);
    }

    private ObjectNode body(MonitoringSubscriptionRequest request) {
        ObjectNode body = http.json().createObjectNode();
        if (request.externalId() != null) {
            body.put("externalId", request.externalId());
        } else {
            body.put("externalGroupId", request.externalGroupId());
        }
        body.put("notificationDestination", request.notificationDestination().toString());
        body.put("monitoringType", request.type().name());
        body.put(
                "monitorExpireTime",
                DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        request.expireTime().atOffset(ZoneOffset.UTC)));
        switch (request.type()) {
            // TS 29.122 clause 5.3.2.1.1: reachability needs its type; location needs the kind of location.
            case UE_REACHABILITY -> body.put("reachabilityType", "DATA");
            case LOCATION_REPORTING -> {
                body.put("locationType", "CURRENT_LOCATION");
                body.put("accuracy", "CGI_ECGI");
            }
            default -> {}
        }
        return body;
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
