package dev.mecgw.ran.mec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.ran.transport.JdkRestTransport;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Client of ETSI GS MEC 012 Radio Network Information ({@code rni/v2}): subscriptions to cell changes
 * (handovers) and radio bearer establishment of the site's UEs.
 */
public class RnisClient {

    private static final String API = "rni/v2";
    /** MEC 012 {@code AssociateId.type} 1: the UE's IPv4 address. */
    private static final int ASSOCIATE_UE_IPV4 = 1;

    private final JdkRestTransport http;
    private final MecPlatform platform;

    /** Uses {@code http} to reach {@code platform}. */
    public RnisClient(JdkRestTransport http, MecPlatform platform) {
        this.http = http;
        this.platform = platform;
    }

    /**
     * Subscribes to {@code CellChangeNotification} for one UE.
     *
     * @param ueIpv4 the UE's address, used as associate id
     * @return the subscription resource URI
     */
    public CompletableFuture<URI> subscribeCellChange(URI callbackReference, String ueIpv4) {
        ObjectNode body = subscription("CellChangeSubscription", callbackReference);
        ObjectNode filter = body.putObject("filterCriteriaAssocHo");
        filter.put("appInstanceId", platform.appInstanceId());
        ObjectNode associate = filter.putArray("associateId").addObject();
        associate.put("type", ASSOCIATE_UE_IPV4);
        associate.put("value", ueIpv4);
        return post(body);
    }

    /**
     * Subscribes to {@code RabEstNotification} for bearers of one QCI.
     *
     * @param qci the QoS class identifier of the bearers of interest
     */
    public CompletableFuture<URI> subscribeRabEstablishment(URI callbackReference, int qci) {
        ObjectNode body = subscription("RabEstSubscription", callbackReference);
        ObjectNode filter = body.putObject("filterCriteriaQci");
        filter.put("appInstanceId", platform.appInstanceId());
        filter.put("qci", qci);
        return post(body);
    }

    /** Deletes a subscription. */
    public CompletableFuture<Void> unsubscribe(URI subscription) {
        return http.send("DELETE", subscription, null).thenApply(r -> null);
    }

    private ObjectNode subscription(String type, URI callbackReference) {
        ObjectNode body = http.json().createObjectNode();
        body.put("subscriptionType", type);
        body.put("callbackReference", callbackReference.toString());
        return body;
    }

    private CompletableFuture<URI> post(ObjectNode body) {
        URI uri = platform.resolve(API, "subscriptions");
        return http.send("POST", uri, body)
                .thenApply(response -> response.location()
                        .orElseGet(() -> URI.create(response.body()
                                .path("_links")
                                .path("self")
                                .path("href")
                                .asText())));
    }
}
