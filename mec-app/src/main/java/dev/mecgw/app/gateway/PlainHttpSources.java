package dev.mecgw.app.gateway;

import dev.mecgw.ran.identity.UeSubnet;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Keeps the plain HTTP listener to the configured source addresses (issue 15.12, {@code mecgw.http.plain-sources}):
 * a plain request from elsewhere gets 403 problem+json naming HTTPS before any route runs; HTTPS requests pass.
 * The peer address is the socket's, never a forwarded header. Thread-safe.
 */
public final class PlainHttpSources implements Handler<RoutingContext> {

    private final List<UeSubnet> allowed;
    private final String description;

    /** @param cidrs the networks served over plain HTTP, e.g. {@code 127.0.0.0/8} */
    public PlainHttpSources(List<String> cidrs) {
        this.allowed = cidrs.stream().map(UeSubnet::parse).toList();
        this.description = String.join(", ", cidrs);
    }

    /** Installs the check in front of every route of {@code router}. */
    public void install(Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this);
    }

    @Override
    public void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.isSSL() || served(request)) {
            context.next();
            return;
        }
        context.response()
                .setStatusCode(403)
                .putHeader("Content-Type", "application/problem+json")
                .putHeader("Connection", "close")
                .end("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,\"detail\":\"Plain HTTP is"
                        + " served to " + description + " only; use HTTPS\"}");
    }

    private boolean served(HttpServerRequest request) {
        if (request.remoteAddress() == null || request.remoteAddress().hostAddress() == null) {
            return false;
        }
        try {
            InetAddress peer = InetAddress.getByName(request.remoteAddress().hostAddress());
            return allowed.stream().anyMatch(subnet -> subnet.contains(peer));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
