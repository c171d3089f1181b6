package dev.mecgw.ran.mec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.ran.transport.JdkRestTransport;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Client of ETSI GS MEC 011 service management ({@code mec_service_mgmt/v1}): registers and withdraws the
 * gateway's own service.
 */
public class MecServiceMgmtClient {

    private static final String API = "mec_service_mgmt/v1";

    private final JdkRestTransport http;
    private final MecPlatform platform;

    /** Uses {@code http} to reach {@code platform}. */
    public MecServiceMgmtClient(JdkRestTransport http, MecPlatform platform) {
        this.http = http;
        this.platform = platform;
    }

    /**
     * Registers the service ({@code POST /applications/{appInstanceId}/services}).
     *
     * @return the service resource URI (from {@code Location})
     */
    public CompletableFuture<URI> register(MecServiceRegistration service) {
        ObjectNode body = http.json().createObjectNode();
        body.put("serName", service.serName());
        body.put("version", service.version());
        body.put("state", "ACTIVE");
        ObjectNode transport = body.putObject("transportInfo");
        transport.put("id", "rest-http");
        transport.put("name", "REST");
        transport.put("type", "REST_HTTP");
        transport.put("protocol", "HTTP");
        transport.put("version", "1.1");
        transport.putObject("endpoint").putArray("uris").add(service.endpoint().toString());
        transport.putObject("security");
        body.put("serializer", "JSON");
        body.put("scopeOfLocality", "MEC_HOST");
        body.put("consumedLocalOnly", true);
        return http.send("POST", services(), body)
                .thenApply(response -> response.location()
                        .orElseGet(() -> services()
                                .resolve(services().getPath() + "/"
                                        + response.body().path("serInstanceId").asText())));
    }

    /** Withdraws a registered service ({@code DELETE} on its resource). */
    public CompletableFuture<Void> deregister(URI service) {
        return http.send("DELETE", service, null).thenApply(r -> null);
    }

    private URI services() {
        return platform.resolve(
                API, "applications/" + MecAppSupportClient.segment(platform.appInstanceId()) + "/services");
    }
}
