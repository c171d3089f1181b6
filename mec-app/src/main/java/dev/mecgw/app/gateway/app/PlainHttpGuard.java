package dev.mecgw.app.gateway.app;

import dev.mecgw.app.gateway.GatewayConfig;
import dev.mecgw.app.gateway.PlainHttpSources;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Installs {@link PlainHttpSources} on the HTTP router when {@code mecgw.http.plain-sources} is set. */
@ApplicationScoped
public class PlainHttpGuard {

    void install(@Observes Router router, GatewayConfig config) {
        config.http().plainSources().ifPresent(cidrs -> new PlainHttpSources(cidrs).install(router));
    }
}
