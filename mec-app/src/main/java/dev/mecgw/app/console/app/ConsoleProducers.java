package dev.mecgw.app.console.app;

import dev.mecgw.app.console.ConsoleAccess;
import dev.mecgw.app.console.ConsoleConfig;
import dev.mecgw.app.console.ConsoleEvents;
import dev.mecgw.app.console.ConsolePages;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.gateway.DataDirectory;
import dev.mecgw.app.gateway.GatewayConfig;
import dev.mecgw.app.gateway.LifecyclePhase;
import io.quarkus.qute.Engine;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Builds the operator console's access control, event recorder and page renderer (issue 19), and creates
 * the first {@code admin} once the store is up.
 */
@ApplicationScoped
public class ConsoleProducers {

    private static final Logger LOG = Logger.getLogger(ConsoleProducers.class);

    @Produces
    @ApplicationScoped
    ConsoleEvents consoleEvents(EventLog events) {
        return new ConsoleEvents(events);
    }

    @Produces
    @ApplicationScoped
    ConsoleAccess consoleAccess(DataSource dataSource, ConsoleEvents events, ConsoleConfig config) {
        return ConsoleAccess.onDatabase(dataSource, events, config, Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    ConsolePages consolePages(
            Engine engine, @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        return new ConsolePages(engine, version);
    }

    /** The first start creates {@code admin}; only the password file's path is logged, never the password. */
    void createAdmin(
            @Observes @Priority(LifecyclePhase.Order.REPORT_START) StartupEvent start,
            ConsoleAccess access,
            GatewayConfig gateway) {
        access.ensureAdmin(new DataDirectory(gateway.dataDir()))
                .ifPresent(file -> LOG.infof(
                        "Created console user 'admin' (operator); its first password is in %s (mode 0600) and must"
                                + " be changed at first login at /console",
                        file));
    }
}
