package dev.mecgw.ran.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may call the simulated APIs: anyone, the holder of one fixed bearer token, or a client that got a
 * token from the simulator's OAuth 2.0 token endpoint (client credentials grant, RFC 6749 clause 4.4,
 * with HTTP Basic or form client authentication). Thread-safe.
 */
final class SimAuthorization {

    /** Path of the token endpoint. */
    static final String TOKEN_PATH = "/oauth2/token";

    private final Optional<String> fixedToken;
    private final Optional<Client> client;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Instant> issued = new ConcurrentHashMap<>();
    private final AtomicInteger issuedCount = new AtomicInteger();
    // Per instance, not static: a static one would be seeded in the native-image builder (docs/native.md).
    private final SecureRandom random = new SecureRandom();

    /** The one OAuth client the simulator knows. */
    record Client(String id, String secret, Duration tokenLifetime) {
        @Override
        public String toString() {
            return "Client[" + id + "]";
        }
    }

    SimAuthorization(Optional<String> fixedToken, Optional<Client> client, Clock clock) {
        this.fixedToken = fixedToken;
        this.client = client;
        this.clock = clock;
    }

    /** Whether a request with this {@code Authorization} header (null when absent) may pass. */
    boolean permits(String header) {
        if (fixedToken.isEmpty() && client.isEmpty()) {
            return true;
        }
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        String token = header.substring("Bearer ".length());
        if (fixedToken.isPresent()
                && MessageDigest.isEqual(
                        fixedToken.get().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        Instant expiry = issued.get(token);
        return expiry != null && clock.instant().isBefore(expiry);
    }

    /** Invalidates every issued token, as an authorization server restart would. */
    void revokeAll() {
        issued.clear();
    }

    /** Number of tokens issued so far. */
    int issuedCount() {
        return issuedCount.get();
    }

    /** Serves {@code POST /oauth2/token}. */
    void serveToken(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form =
                    form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (client.isEmpty() || !exchange.getRequestMethod().equals("POST")) {
                write(exchange, 400, error("invalid_request"));
            } else if (!authenticated(exchange.getRequestHeaders().getFirst("Authorization"), form)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"simulator\"");
                write(exchange, 401, error("invalid_client"));
            } else if (!"client_credentials".equals(form.get("grant_type"))) {
                write(exchange, 400, error("unsupported_grant_type"));
            } else {
                write(exchange, 200, issue(client.get().tokenLifetime()));
            }
        }
    }

    private ObjectNode issue(Duration lifetime) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        issued.put(token, clock.instant().plus(lifetime));
        issuedCount.incrementAndGet();
        ObjectNode body = json.createObjectNode();
        body.put("access_token", token);
        body.put("token_type", "Bearer");
        body.put("expires_in", Math.max(1, lifetime.toSeconds()));
        return body;
    }

    private boolean authenticated(String header, Map<String, String> form) {
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        if (header != null && header.startsWith("Basic ")) {
            String[] pair =
                    new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            id = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            secret = pair.length == 2 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : null;
        }
        Client known = client.get();
        return known.id().equals(id)
                && secret != null
                && MessageDigest.isEqual(
                        known.secret().getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode error(String code) {
        return json.createObjectNode().put("error", code);
    }

    private void write(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        // RFC 6749 clause 5.1: token responses must not be cached.
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> values = new HashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            if (!kv[0].isEmpty()) {
                values.put(
                        URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return values;
    }
}
