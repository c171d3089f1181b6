package dev.mecgw.ran.mec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.ran.transport.JdkRestTransport;
import dev.mecgw.ran.transport.NetworkApiException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Client of ETSI GS MEC 011 application support ({@code mec_app_support/v1}): tell the platform we are
 * ready, read the traffic rules it applies for us, and learn when it wants us to stop.
 */
public class MecAppSupportClient {

    private static final String API = "mec_app_support/v1";

    private final JdkRestTransport http;
    private final MecPlatform platform;

    /** Uses {@code http} to reach {@code platform}. */
    public MecAppSupportClient(JdkRestTransport http, MecPlatform platform) {
        this.http = http;
        this.platform = platform;
    }

    /** {@code POST .../confirm_ready} with indication READY (MEC 011 clause 7.2.11); 204 expected. */
    public CompletableFuture<Void> confirmReady() {
        ObjectNode body = http.json().createObjectNode().put("indication", "READY");
        return http.send("POST", app("confirm_ready"), body).thenApply(r -> null);
    }

    /**
     * {@code POST .../confirm_termination} answering an {@code AppTerminationNotification}.
     *
     * @param operationAction {@code STOPPING} or {@code TERMINATING}, as in the notification
     */
    public CompletableFuture<Void> confirmTermination(String operationAction) {
        ObjectNode body = http.json().createObjectNode().put("operationAction", operationAction);
        return http.send("POST", app("confirm_termination"), body).thenApply(r -> null);
    }

    /** {@code GET .../traffic_rules}: the rules as the platform returns them ({@code TrafficRule} objects). */
    public CompletableFuture<List<JsonNode>> trafficRules() {
        return http.send("GET", app("traffic_rules"), null).thenApply(response -> {
            List<JsonNode> rules = new ArrayList<>();
            response.body().forEach(rules::add);
            return List.copyOf(rules);
        });
    }

    /**
     * Subscribes to {@code AppTerminationNotification} ({@code POST .../subscriptions}).
     *
     * @param callbackReference where the platform posts the notification
     * @return the subscription resource URI; fails with {@link NetworkApiException}
     */
    public CompletableFuture<URI> subscribeTermination(URI callbackReference) {
        ObjectNode body = http.json().createObjectNode();
        body.put("subscriptionType", "AppTerminationNotificationSubscription");
        body.put("callbackReference", callbackReference.toString());
        // MEC 011 V2.1.1 marks _links required in the request too; the platform replaces the href.
        body.putObject("_links").putObject("self").put("href", callbackReference.toString());
        body.put("appInstanceId", platform.appInstanceId());
        return http.send("POST", app("subscriptions"), body)
                .thenApply(response -> response.location()
                        .orElseGet(() -> URI.create(response.body()
                                .path("_links")
                                .path("self")
                                .path("href")
                                .asText())));
    }

    /**
     * Deletes a subscription made by {@link #subscribeTermination} ({@code DELETE .../subscriptions/{subscriptionId}},
     * operation {@code ApplicationsSubscription_DELETE} of the MEC 011 OpenAPI); 204 expected.
     *
     * @param subscription the resource URI {@link #subscribeTermination} returned
     */
    public CompletableFuture<Void> unsubscribe(URI subscription) {
        return http.send("DELETE", subscription, null).thenApply(r -> null);
    }

    private URI app(String resource) {
        return platform.resolve(API, "applications/" + segment(platform.appInstanceId()) + "/" + resource);
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
