package dev.mecgw.ran.nef;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.ran.transport.JdkRestTransport;
import dev.mecgw.ran.transport.NetworkApiException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Client of the TS 29.522 UEId API ({@code 3gpp-ueid/v1}): which UE, by external identifier, holds an IP
 * address. The NEF answers 404 for an address it does not know.
 */
public class NefUeIdClient {

    private static final String API = "3gpp-ueid";

    private final JdkRestTransport http;
    private final NefApi nef;

    /** Uses {@code http} to reach the NEF at {@code nef}; {@code nef.scsAsId()} is sent as {@code afId}. */
    public NefUeIdClient(JdkRestTransport http, NefApi nef) {
        this.http = http;
        this.nef = nef;
    }

    /**
     * Retrieves the external identifier of the UE using {@code ueAddress} ({@code POST /retrieve}).
     *
     * @return the external identifier ({@code <local>@<domain>}), empty when the NEF knows no such UE;
     *     fails with {@link NetworkApiException} for other errors
     */
    public CompletableFuture<Optional<String>> externalIdOf(InetAddress ueAddress) {
        ObjectNode body = http.json().createObjectNode();
        body.put("afId", nef.scsAsId());
        ObjectNode ip = body.putObject("ueIpAddr");
        ip.put(ueAddress instanceof Inet4Address ? "ipv4Addr" : "ipv6Addr", ueAddress.getHostAddress());
        return http.send("POST", nef.resolve(API, "retrieve"), body)
                .thenApply(response ->
                        Optional.of(response.body().path("externalId").asText()))
                .exceptionally(failure -> {
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    if (cause instanceof NetworkApiException api && api.status() == 404) {
                        return Optional.empty();
                    }
                    throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
                });
    }
}
