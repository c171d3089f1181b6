package dev.mecgw.ran.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;

/**
 * The simulator's HTTP side on the JDK server: parses JSON, checks the bearer token and media type,
 * dispatches to the {@link SimRoute}s, records each exchange and writes the answer. No business logic.
 */
final class SimHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService workers;
    private final ObjectMapper json;
    private final SimAuthorization authorization;
    private final Consumer<SimExchange> recorder;

    SimHttpServer(
            InetSocketAddress bind,
            List<SimRoute> routes,
            ObjectMapper json,
            SimAuthorization authorization,
            Consumer<SimExchange> recorder)
            throws IOException {
        this.json = json;
        this.authorization = authorization;
        this.recorder = recorder;
        this.server = HttpServer.create(bind, 64);
        this.workers = Executors.newFixedThreadPool(
                4,
                BasicThreadFactory.builder()
                        .namingPattern("ran-simulator-http")
                        .daemon(true)
                        .build());
        server.setExecutor(workers);
        for (SimRoute route : routes) {
            server.createContext(route.basePath() + "/", exchange -> serve(route, exchange));
        }
        server.createContext(SimAuthorization.TOKEN_PATH, authorization::serveToken);
        server.start();
    }

    /** {@code http://host:port}, the apiRoot of every simulated API. */
    URI baseUri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort());
    }

    private void serve(SimRoute route, HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String contentType = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
            JsonNode body = null;
            SimResponse response;
            if (!authorised(exchange)) {
                response = problem(route, 401, "a valid bearer token is required");
            } else if (raw.length > 0 && !isJson(contentType)) {
                response = problem(route, 415, "only JSON bodies are accepted");
            } else {
                try {
                    body = raw.length == 0 ? null : json.readTree(raw);
                    response = route.handle(new SimRequest(
                            exchange.getRequestMethod(),
                            segments(route, exchange),
                            query(exchange.getRequestURI()),
                            contentType,
                            body));
                } catch (IOException e) {
                    response = problem(route, 400, "the body is not valid JSON");
                }
            }
            String uri = exchange.getRequestURI().toString();
            recorder.accept(new SimExchange(
                    SimExchange.Kind.REQUEST, exchange.getRequestMethod(), uri, response.status(), contentType, body));
            recorder.accept(new SimExchange(
                    SimExchange.Kind.RESPONSE,
                    exchange.getRequestMethod(),
                    uri,
                    response.status(),
                    response.contentType(),
                    response.body()));
            write(exchange, response);
        }
    }

    private boolean authorised(HttpExchange exchange) {
        return authorization.permits(exchange.getRequestHeaders().getFirst("Authorization"));
    }

    private void write(HttpExchange exchange, SimResponse response) throws IOException {
        if (response.location() != null) {
            exchange.getResponseHeaders().add("Location", response.location());
        }
        if (response.body() == null) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        byte[] bytes = json.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().add("Content-Type", response.contentType());
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static SimResponse problem(SimRoute route, int status, String detail) {
        return route.threeGpp()
                ? SimResponse.problem3gpp(status, null, detail)
                : SimResponse.problemEtsi(status, detail);
    }

    private static boolean isJson(String contentType) {
        return "application/json".equals(contentType) || "application/merge-patch+json".equals(contentType);
    }

    private static String mediaType(String header) {
        return header == null ? null : header.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static List<String> segments(SimRoute route, HttpExchange exchange) {
        String rest =
                exchange.getRequestURI().getRawPath().substring(route.basePath().length());
        List<String> segments = new ArrayList<>();
        for (String segment : rest.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(URLDecoder.decode(segment, StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    private static Map<String, List<String>> query(URI uri) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return query;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            String value = kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
            query.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(value);
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
