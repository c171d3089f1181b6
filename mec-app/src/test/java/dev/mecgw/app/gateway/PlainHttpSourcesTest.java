package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15.12 over a real socket: with {@code mecgw.http.plain-sources} set, the plain HTTP listener serves only
 * those sources (the appliance: loopback) and refuses others with 403 before any route runs.
 */
class PlainHttpSourcesTest {

    private final Vertx vertx = Vertx.vertx();
    private HttpServer server;

    @BeforeEach
    void setUp() throws Exception {
        // given a router serving /q/health/ready, guarded to 127.0.0.1 only
        Router router = Router.router(vertx);
        new PlainHttpSources(List.of("127.0.0.1/32", "::1/128")).install(router);
        router.get("/q/health/ready").handler(ctx -> ctx.response().end("UP"));
        server = vertx.createHttpServer()
                .requestHandler(router)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldServeAnAllowedSourceAndRefuseAnyOther() throws Exception {
        // when / then: from 127.0.0.1 served, from 127.0.0.2 (another source) refused
        assertThat(statusLine("127.0.0.1")).contains(" 200 ");
        assertThat(statusLine("127.0.0.2")).contains(" 403 ");
    }

    private String statusLine(String from) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", server.actualPort()), 5_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /q/health/ready HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }
}
