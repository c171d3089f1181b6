package dev.mecgw.app.gateway.app;

import dev.mecgw.app.admin.AdminToken;
import dev.mecgw.app.gateway.GatewayConfig;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.store.EmbeddedPostgresConfigSourceFactory;
import dev.mecgw.inference.model.FileModelRegistry;
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
 * database is in use, and the first steps: the curl that lists devices and, while no model is installed, how to
 * get one (issue 16). Credentials are stripped from the JDBC URL; the admin token is never printed, only where
 * it is read from.
 */
@ApplicationScoped
public class StartupReport {

    private static final Logger LOG = Logger.getLogger("dev.mecgw");

    private final List<String> listeners = new ArrayList<>();

    void onStart(
            @Observes @Priority(LifecyclePhase.Order.REPORT_START) StartupEvent event,
            GatewayConfig gateway,
            AdminToken token,
            FileModelRegistry models,
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
        block.append(String.format("  admin token    : from %s%n", token.source()));
        String host = config.getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0");
        String port = config.getOptionalValue("quarkus.http.port", String.class).orElse("8080");
        block.append(firstSteps(token.source(), host, port, models.list().size()));
        LOG.info(block);
    }

    /** The "try it" lines: a curl that lists devices, and how to get a model while none is installed. */
    static String firstSteps(String tokenSource, String host, String port, int models) {
        String bearer = tokenSource.startsWith("file ")
                ? "$(cat " + tokenSource.substring("file ".length()) + ")"
                : "$MECGW_ADMIN_TOKEN";
        String address = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        StringBuilder steps = new StringBuilder(String.format(
                "  list devices   : curl -H \"Authorization: Bearer %s\" http://%s:%s/api/v1/devices",
                bearer, address, port));
        if (models == 0) {
            steps.append(
                    String.format(
                            "%n  models         : none installed; fit the sensor anomaly model on stored telemetry with"
                                    + " POST /api/v1/models/sensor-anomaly/fit {\"metric\",\"deviceIds\"}"
                                    + " (or FitSensorModelCommand), or upload an ONNX model with POST /api/v1/models"
                                    + " (multipart: metadata + model); see README \"Camera streams and the sensor-model fit\""));
        }
        return steps.toString();
    }

    /** Lets a protocol front-end add its line ("MQTT : port 1883 ...") before the block is printed. */
    public void addListener(String line) {
        listeners.add(line);
    }
}
