package dev.mecgw.ran.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * JSON over HTTP with {@link HttpClient}, asynchronous so that no caller (ingest, event loop) ever waits on
 * the network. Adds the bearer token from its {@link AccessTokens} (TS 29.122 clause 5.2.3 / ETSI MEC 009:
 * OAuth 2.0 client credentials); a 401 makes it fetch a new token and retry once. Non-2xx answers fail the
 * future with {@link NetworkApiException}.
 */
public class JdkRestTransport {

    /** Content type of a JSON merge patch (RFC 7396), used by the 3GPP PATCH operations. */
    public static final String MERGE_PATCH = "application/merge-patch+json";

    private static final String JSON = "application/json";

    private final HttpClient client;
    private final ObjectMapper json;
    private final Duration timeout;
    private final AccessTokens tokens;
    private final ApiCalls calls;

    /**
     * @param json mapper used for bodies
     * @param timeout per-request timeout
     * @param bearerToken access token sent as {@code Authorization: Bearer}; empty sends none
     */
    public JdkRestTransport(ObjectMapper json, Duration timeout, Optional<String> bearerToken) {
        this(json, timeout, AccessTokens.fixed(bearerToken));
    }

    /**
     * @param json mapper used for bodies
     * @param timeout per-request timeout
     * @param tokens the bearer tokens to send
     */
    public JdkRestTransport(ObjectMapper json, Duration timeout, AccessTokens tokens) {
        this(json, timeout, tokens, new ApiCalls(java.time.Clock.systemUTC()));
    }

    /**
     * @param json mapper used for bodies
     * @param timeout per-request timeout
     * @param tokens the bearer tokens to send
     * @param calls told of every call's outcome (the peer's reachability, issue 19)
     */
    public JdkRestTransport(ObjectMapper json, Duration timeout, AccessTokens tokens, ApiCalls calls) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.json = json;
        this.timeout = timeout;
        this.tokens = tokens;
        this.calls = calls;
    }

    /** The mapper used for request and response bodies. */
    public ObjectMapper json() {
        return json;
    }

    /**
     * Sends one request.
     *
     * @param method HTTP method
     * @param uri absolute target
     * @param body JSON body or null for none
     * @param contentType content type of the body, null for {@code application/json}
     * @return completes with the answer, or fails with {@link NetworkApiException}
     */
    public CompletableFuture<RestResponse> send(String method, URI uri, JsonNode body, String contentType) {
        return tokens.current()
                .thenCompose(token -> exchange(method, uri, body, contentType, token)
                        .thenCompose(response ->
                                response.statusCode() == 401 && token.isPresent() && tokens.invalidate(token.get())
                                        ? tokens.current()
                                                .thenCompose(fresh -> exchange(method, uri, body, contentType, fresh))
                                        : CompletableFuture.completedFuture(response)))
                .thenApply(response -> toResponse(method, uri, response));
    }

    private CompletableFuture<HttpResponse<byte[]>> exchange(
            String method, URI uri, JsonNode body, String contentType, Optional<String> token) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", JSON);
        token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType == null ? JSON : contentType);
            request.method(method, HttpRequest.BodyPublishers.ofByteArray(write(body)));
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, failure) -> {
                    if (failure != null) {
                        calls.failed(method, uri, rootMessage(failure));
                        throw new NetworkApiException(
                                0, null, method + " " + uri.getPath() + " failed: " + rootMessage(failure));
                    }
                    calls.answered(method, uri, response.statusCode());
                    return response;
                });
    }

    /** Convenience for a JSON request with {@code application/json}. */
    public CompletableFuture<RestResponse> send(String method, URI uri, JsonNode body) {
        return send(method, uri, body, null);
    }

    private RestResponse toResponse(String method, URI uri, HttpResponse<byte[]> response) {
        JsonNode body = read(response.body());
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            String cause = body.path("cause").asText(null);
            String detail = body.path("detail").asText(body.path("title").asText("no detail"));
            throw new NetworkApiException(
                    status,
                    cause,
                    method + " " + uri.getPath() + " answered " + status + (cause == null ? "" : " " + cause) + ": "
                            + detail);
        }
        Optional<URI> location = response.headers().firstValue("Location").map(uri::resolve);
        return new RestResponse(status, location, body);
    }

    private byte[] write(JsonNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not serialisable", e);
        }
    }

    private JsonNode read(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(bytes);
        } catch (java.io.IOException e) {
            // A non-JSON body (an HTML error page from a proxy) must not hide the status code.
            return MissingNode.getInstance();
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
    }
}
