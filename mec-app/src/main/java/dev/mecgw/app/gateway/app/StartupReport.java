package dev.mecgw.app.gateway.app;

import dev.mecgw.app.admin.AdminToken;
import dev.mecgw.app.gateway.GatewayConfig;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.store.EmbeddedPostgresConfigSourceFactory;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Logs one block at start-up that tells the operator what listens where, where data lives and which
 * database is in use. Credentials are stripped from the JDBC URL; the admin token is never printed.
 */
@ApplicationScoped
public class StartupReport {

    private static final Logger LOG = Logger.getLogger("dev.mecgw");

    private final List<String> listeners = new ArrayList<>();

    void onStart(
            @Observes @Priority(LifecyclePhase.Order.REPORT_START) StartupEvent event,
            GatewayConfig gateway,
            AdminToken token,
            Config config) {
        String url = config.getOptionalValue("quarkus.datasource.jdbc.url", String.class)
                .orElse("?");
        boolean embedded = EmbeddedPostgresConfigSourceFactory.serverFor(gateway.dataDir()) != null;
        StringBuilder block = new StringBuilder("MEC Gateway started\n");
        block.append(String.format("  site id        : %s%n", gateway.siteId()));
        block.append(String.format(
                "  HTTP API       : port %s (/api/v1, health /q/health, metrics /q/metrics," + " OpenAPI /q/openapi)%n",
                config.getOptionalValue("quarkus.http.port", String.class).orElse("8080")));
        for (String listener : listeners) {
            block.append("  ").append(listener).append('\n');
        }
        block.append(String.format(
                "  data dir       : %s%n", gateway.dataDir().toAbsolutePath().normalize()));
        block.append(String.format(
                "  database       : %s %s%n",
                embedded ? "embedded PostgreSQL" : "PostgreSQL",
                url.replaceAll("(?i)(password|user)=[^&]*", "$1=***")));
        block.append(String.format("  admin token    : from %s", token.source()));
        LOG.info(block);
    }

    /** Lets a protocol front-end add its line ("MQTT : port 1883 ...") before the block is printed. */
    public void addListener(String line) {
        listeners.add(line);
    }
}
