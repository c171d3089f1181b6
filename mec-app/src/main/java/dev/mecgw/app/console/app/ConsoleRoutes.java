package dev.mecgw.app.console.app;

import dev.mecgw.app.console.BearerCsrfExemption;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Places {@link BearerCsrfExemption} in front of Quarkus REST for {@code /api} requests. */
@ApplicationScoped
public class ConsoleRoutes {

    void route(@Observes Router router) {
        router.route("/api/*").order(-1_000).handler(context -> {
            BearerCsrfExemption.pairTokenForBearerRequest(context.request());
            context.next();
        });
    }
}
