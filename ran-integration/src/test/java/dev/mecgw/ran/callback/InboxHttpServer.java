package dev.mecgw.ran.callback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Test fixture: serves a {@link CallbackInbox} over HTTP on 127.0.0.1, as mec-app's callback resource does
 * (204 accepted, 400 malformed, 404 unknown).
 */
public final class InboxHttpServer implements AutoCloseable {

    private static final String BASE = "/ran/callbacks";
    private final HttpServer server;
    private final CallbackInbox inbox;

    /** Starts on a free port. */
    public InboxHttpServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        inbox = new CallbackInbox(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + BASE));
        ObjectMapper json = new ObjectMapper();
        server.createContext(BASE + "/", exchange -> {
            try (exchange) {
                String[] parts = exchange.getRequestURI()
                        .getPath()
                        .substring(BASE.length() + 1)
                        .split("/");
                byte[] raw = exchange.getRequestBody().readAllBytes();
                JsonNode body;
                try {
                    body = raw.length == 0 ? null : json.readTree(raw);
                } catch (IOException e) {
                    exchange.sendResponseHeaders(400, -1);
                    return;
                }
                CallbackInbox.Outcome outcome = inbox.accept(parts[0], parts.length > 1 ? parts[1] : null, body);
                exchange.sendResponseHeaders(
                        switch (outcome) {
                            case ACCEPTED -> 204;
                            case MALFORMED -> 400;
                            case UNKNOWN -> 404;
                        },
                        -1);
            }
        });
        server.start();
    }

    /** The inbox served. */
    public CallbackInbox inbox() {
        return inbox;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
