package dev.mecgw.ran.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link AccessTokens} from an OAuth 2.0 token endpoint with the client credentials grant (RFC 6749
 * clause 4.4), as the specs' {@code oAuth2ClientCredentials} scheme declares. The client authenticates
 * with HTTP Basic (clause 2.3.1). A token is cached until shortly before {@code expires_in}; concurrent
 * callers share one fetch. The secret is never logged nor shown by {@link #toString()}. Thread-safe.
 */
public final class OAuthClientCredentials implements AccessTokens {

    /** Lifetime assumed when the token endpoint gives no {@code expires_in}. */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    /** A token is renewed this long before it expires, so that it does not expire in flight. */
    static final Duration EARLY = Duration.ofSeconds(30);

    private final HttpClient http;
    private final ObjectMapper json;
    private final URI tokenUrl;
    private final String clientId;
    private final String authorization;
    private final Optional<String> scope;
    private final Duration timeout;
    private final Clock clock;
    private Token cached;
    private CompletableFuture<Optional<String>> inFlight;

    /**
     * @param tokenUrl the authorization server's token endpoint
     * @param clientId our client id
     * @param clientSecret our client secret
     * @param scope scopes to request, space-separated; empty requests the client's default
     * @param timeout per-request timeout
     */
    public OAuthClientCredentials(
            URI tokenUrl, String clientId, String clientSecret, Optional<String> scope, Duration timeout, Clock clock) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.json = new ObjectMapper();
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.authorization = "Basic "
                + Base64.getEncoder()
                        .encodeToString((form(clientId) + ":" + form(clientSecret)).getBytes(StandardCharsets.UTF_8));
        this.scope = scope;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public synchronized CompletableFuture<Optional<String>> current() {
        if (cached != null && clock.instant().isBefore(cached.renewAt())) {
            return CompletableFuture.completedFuture(Optional.of(cached.value()));
        }
        if (inFlight == null) {
            CompletableFuture<Optional<String>> fetch = fetch();
            inFlight = fetch;
            fetch.whenComplete((token, failure) -> done(fetch));
        }
        return inFlight;
    }

    @Override
    public synchronized boolean invalidate(String token) {
        if (cached != null && cached.value().equals(token)) {
            cached = null;
        }
        return true;
    }

    @Override
    public String toString() {
        return "OAuth client credentials of " + clientId + " at " + tokenUrl;
    }

    private synchronized void done(CompletableFuture<Optional<String>> fetch) {
        if (inFlight == fetch) {
            inFlight = null;
        }
    }

    private CompletableFuture<Optional<String>> fetch() {
        String body = "grant_type=client_credentials"
                + scope.map(s -> "&scope=" + form(s)).orElse("");
        HttpRequest request = HttpRequest.newBuilder(tokenUrl)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        Instant sent = clock.instant();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).handle((response, failure) -> {
            if (failure != null) {
                throw new NetworkApiException(
                        0,
                        null,
                        "token endpoint " + tokenUrl.getPath() + " unreachable: "
                                + failure.getClass().getSimpleName());
            }
            Token token = parse(response, sent);
            synchronized (this) {
                cached = token;
            }
            return Optional.of(token.value());
        });
    }

    private Token parse(HttpResponse<byte[]> response, Instant sent) {
        JsonNode body = read(response.body());
        if (response.statusCode() != 200) {
            // RFC 6749 clause 5.2: "error" is a code such as invalid_client; the description is the server's.
            String error = body.path("error").asText(null);
            throw new NetworkApiException(
                    response.statusCode(),
                    error,
                    "token endpoint answered " + response.statusCode() + (error == null ? "" : " " + error));
        }
        String value = body.path("access_token").asText(null);
        if (value == null
                || value.isEmpty()
                || !"bearer".equalsIgnoreCase(body.path("token_type").asText())) {
            throw new NetworkApiException(response.statusCode(), null, "token endpoint gave no bearer access_token");
        }
        Duration lifetime = body.path("expires_in").canConvertToLong()
                        && body.path("expires_in").asLong() > 0
                ? Duration.ofSeconds(body.path("expires_in").asLong())
                : DEFAULT_LIFETIME;
        Duration early = lifetime.compareTo(EARLY.multipliedBy(2)) < 0 ? lifetime.dividedBy(2) : EARLY;
        return new Token(value, sent.plus(lifetime).minus(early));
    }

    private JsonNode read(byte[] bytes) {
        try {
            return bytes == null || bytes.length == 0 ? json.missingNode() : json.readTree(bytes);
        } catch (IOException e) {
            return json.missingNode();
        }
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A cached token; its value is a secret too. */
    private record Token(String value, Instant renewAt) {
        @Override
        public String toString() {
            return "Token[renewAt=" + renewAt + "]";
        }
    }
}
